package dev.dragon.deploy.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.deploy.metrics.MetricCatalogue;
import dev.dragon.deploy.metrics.MonitoredMetrics;
import dev.dragon.deploy.metrics.PromQl;
import dev.dragon.deploy.support.Chart;
import dev.dragon.deploy.support.Repo;
import dev.dragon.deploy.support.Values;
import dev.dragon.deploy.support.Variant;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Dashboards, alerts and autoscaling queries use only metrics docs/metrics.md lists. */
class MetricReferencesTest {

    private final MetricCatalogue catalogue = MetricCatalogue.read(Repo.metricsCatalogue());

    @Test
    void everyMetricOfTheDashboardsAndAlerts_isInTheCatalogue() {
        MonitoredMetrics monitored = MonitoredMetrics.fromChart(Repo.chart());

        assertThat(monitored.missingFrom(catalogue.names())).isEmpty();
        // the extraction saw every dashboard and rule file: each one contributes metrics
        assertThat(monitored.references()).extracting(r -> r.source().substring(0, r.source().indexOf(':')))
                .contains("overview.json", "experts.json", "caches.json", "learning.json", "dragon-alerts.yaml");
    }

    @Test
    void everyServicesMetrics_appearOnADashboard() {
        Set<String> used = MonitoredMetrics.fromChart(Repo.chart()).metricNames();

        for (String metric : List.of("dragon_time_to_first_token_seconds", "dragon_expert_tokens_total",
                "dragon_expert_inflight_calls", "dragon_cache_hits_total", "dragon_learner_consumer_lag",
                "dragon_gateway_requests_total")) {
            assertThat(used).contains(metric);
        }
        assertThat(used).as("most of the catalogue is watched").hasSizeGreaterThan(catalogue.names().size() * 3 / 4);
    }

    @Test
    void thePrometheusAdapterRules_andKedaQueries_useOnlyCatalogueMetrics_andServeTheHpaMetricNames() {
        V1ConfigMap adapter = Chart.render(Variant.ALL_FEATURES).get(V1ConfigMap.class, "dragon-prometheus-adapter-rules");
        Map<String, Object> config = AlertRulesTest.map(Values.parse(adapter.getData().get("config.yaml")));
        Set<String> served = new TreeSet<>();
        Set<String> queried = new TreeSet<>();
        for (Map<String, Object> rule : AlertRulesTest.list(config.get("rules"))) {
            served.add((String) AlertRulesTest.map(rule.get("name")).get("as"));
            queried.addAll(PromQl.metricNames((String) rule.get("seriesQuery")));
        }
        for (Map<String, Object> scaledObject : Chart.render(Variant.KEDA).custom("ScaledObject")) {
            Map<String, Object> spec = AlertRulesTest.map(scaledObject.get("spec"));
            for (Map<String, Object> trigger : AlertRulesTest.list(spec.get("triggers"))) {
                queried.addAll(PromQl.metricNames((String) AlertRulesTest.map(trigger.get("metadata")).get("query")));
            }
        }

        assertThat(queried).isNotEmpty().allSatisfy(m -> assertThat(catalogue.contains(m)).as(m).isTrue());
        for (Variant variant : List.of(Variant.PRODUCTION, Variant.CUSTOM_GROUPS)) {
            assertThat(Chart.render(variant).all(V2HorizontalPodAutoscaler.class))
                    .flatExtracting(h -> h.getSpec().getMetrics())
                    .filteredOn(m -> m.getPods() != null)
                    .allSatisfy(m -> assertThat(served).contains(m.getPods().getMetric().getName()));
        }
    }
}
