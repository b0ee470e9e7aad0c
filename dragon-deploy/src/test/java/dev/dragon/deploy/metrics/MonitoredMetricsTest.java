package dev.dragon.deploy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitoredMetricsTest {

    @TempDir
    Path chart;

    @Test
    void fromChart_readsPanelsNestedPanelsVariablesAndRules_andReportsWhatAScrapeLacks() throws IOException {
        Files.createDirectories(chart.resolve("dashboards"));
        Files.createDirectories(chart.resolve("rules"));
        Files.writeString(chart.resolve("dashboards/a.json"), """
                {"panels": [
                  {"title": "Tokens", "targets": [{"refId": "A", "expr": "sum(rate(dragon_generation_tokens_total[1m]))"}]},
                  {"type": "row", "title": "Collapsed", "panels": [
                    {"title": "TTFT", "targets": [{"refId": "A",
                      "expr": "histogram_quantile(0.5, sum by (le) (rate(dragon_time_to_first_token_seconds_bucket[1m])))"}]}]}],
                 "templating": {"list": [
                   {"name": "datasource", "type": "datasource", "query": "prometheus"},
                   {"name": "layer", "type": "query", "query": {"query": "label_values(dragon_expert_tokens_total, layer)"}}]}}
                """);
        Files.writeString(chart.resolve("rules/r.yaml"), """
                groups:
                  - name: g
                    rules:
                      - alert: Waiting
                        expr: sum(dragon_sequences_waiting) > 10
                """);

        MonitoredMetrics monitored = MonitoredMetrics.fromChart(chart);

        assertThat(monitored.metricNames()).containsExactlyInAnyOrder("dragon_generation_tokens_total",
                "dragon_time_to_first_token_seconds", "dragon_expert_tokens_total", "dragon_sequences_waiting");
        assertThat(monitored.missingFrom(Set.of("dragon_generation_tokens_total", "dragon_time_to_first_token_seconds",
                "dragon_expert_tokens_total")))
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.metric()).isEqualTo("dragon_sequences_waiting");
                    assertThat(r.source()).isEqualTo("r.yaml: Waiting");
                });
    }
}
