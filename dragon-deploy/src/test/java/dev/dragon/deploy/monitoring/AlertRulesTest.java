package dev.dragon.deploy.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.deploy.support.Chart;
import dev.dragon.deploy.support.Promtool;
import dev.dragon.deploy.support.Repo;
import dev.dragon.deploy.support.Values;
import dev.dragon.deploy.support.Variant;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The alert rules: valid for Prometheus, unit-tested with promtool, documented, shipped as a PrometheusRule. */
class AlertRulesTest {

    @Test
    void promtoolCheckRules_acceptsTheRulesFile() {
        Promtool.Result result = Promtool.run("check", "rules", Repo.alertRules().toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: " + alerts().size() + " rules found");
    }

    @Test
    void promtoolTestRules_passes() {
        Promtool.Result result = Promtool.run("test", "rules", Repo.alertTests().toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void everyAlert_hasAPromtoolCaseWhereItFires_andOneWhereItMustNot() {
        Set<String> fires = new TreeSet<>();
        Set<String> silent = new TreeSet<>();
        for (Map<String, Object> test : list(map(Values.load(Repo.alertTests())).get("tests"))) {
            for (Map<String, Object> check : list(test.get("alert_rule_test"))) {
                String alert = (String) check.get("alertname");
                (((List<?>) check.get("exp_alerts")).isEmpty() ? silent : fires).add(alert);
            }
        }

        assertThat(fires).containsAll(alertNames());
        assertThat(silent).containsAll(alertNames());
    }

    @Test
    void everyAlert_hasASeverity_aSummary_andARunbookSectionInTheOperationsGuide() throws IOException {
        String guide = Files.readString(Repo.operationsGuide());

        for (Map<String, Object> alert : alerts()) {
            String name = (String) alert.get("alert");
            assertThat(map(alert.get("labels")).get("severity")).as(name).isIn("critical", "warning", "info");
            Map<String, Object> annotations = map(alert.get("annotations"));
            assertThat((String) annotations.get("summary")).as(name).isNotBlank();
            assertThat(annotations.get("runbook")).as(name)
                    .isEqualTo("docs/operations.md#" + name.toLowerCase(Locale.ROOT));
            assertThat(guide).as("docs/operations.md has a section for " + name).containsPattern("(?m)^#+ " + name + "$");
        }
    }

    @Test
    void thePrometheusRule_carriesExactlyTheRulesFile() {
        List<Map<String, Object>> rules = Chart.render(Variant.ALL_FEATURES).custom("PrometheusRule");

        assertThat(rules).hasSize(1);
        assertThat(rules.getFirst().get("spec")).isEqualTo(Values.load(Repo.alertRules()));
        assertThat(Chart.render(Variant.DEFAULTS).custom("PrometheusRule")).as("off by default").isEmpty();
    }

    static List<Map<String, Object>> alerts() {
        return list(map(Values.load(Repo.alertRules())).get("groups")).stream()
                .flatMap(group -> list(group.get("rules")).stream())
                .toList();
    }

    private static Set<String> alertNames() {
        Set<String> names = new TreeSet<>();
        alerts().forEach(a -> names.add((String) a.get("alert")));
        return names;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }
}
