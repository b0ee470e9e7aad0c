package dev.dragon.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import dev.dragon.deploy.support.Chart;
import dev.dragon.deploy.support.Variant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** `helm lint --strict`, and values the chart refuses with a message that says what to fix. */
class ChartLintTest {

    @ParameterizedTest
    @EnumSource(value = Variant.class, names = {"DEFAULTS", "PRODUCTION", "KEDA", "ALL_FEATURES"})
    void lint_passesStrict(Variant variant) {
        LintResult result = Chart.lint(variant.valuesFiles());

        assertThat(result.isFailed()).as("lint messages: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    /** Helm's lint mode turns `fail` into a log line, so the chart's own value checks are tested by rendering. */
    @Test
    void invalidInfrastructureValues_failTheRender_namingTheValue() {
        assertThatThrownBy(() -> Chart.template(List.of(), Map.of("redis.mode", "sentinel")))
                .hasMessageContaining("redis.sentinel.nodes");
        assertThatThrownBy(() -> Chart.template(List.of(), Map.of("redis.mode", "cluster")))
                .hasMessageContaining("redis.mode must be standalone or sentinel");
        assertThatThrownBy(() -> Chart.template(List.of(), Map.of("model.source", "volume")))
                .hasMessageContaining("model.volume must hold a volume source");
        assertThatThrownBy(() -> Chart.template(List.of(), Map.of("expert.autoscaling.enabled", true,
                "expert.autoscaling.metric", "cpu")))
                .hasMessageContaining("expert.autoscaling.metric must be inflight or rows");
    }
}
