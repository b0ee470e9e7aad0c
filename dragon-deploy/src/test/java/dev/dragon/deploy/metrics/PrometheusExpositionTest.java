package dev.dragon.deploy.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PrometheusExpositionTest {

    private static final String SCRAPE = """
            # HELP dragon_time_to_first_token_seconds request accepted -> first token
            # TYPE dragon_time_to_first_token_seconds histogram
            dragon_time_to_first_token_seconds_bucket{application="router-service",le="0.5"} 3
            dragon_time_to_first_token_seconds_bucket{application="router-service",le="+Inf"} 4
            dragon_time_to_first_token_seconds_count{application="router-service"} 4
            dragon_time_to_first_token_seconds_sum{application="router-service"} 1.25
            # TYPE dragon_generation_tokens_total counter
            dragon_generation_tokens_total{application="router-service"} 120.0

            jvm_threads_live_threads 31
            """;

    @Test
    void metricNames_listsSeriesAndTheirMetric() {
        assertThat(PrometheusExposition.metricNames(SCRAPE)).contains(
                "dragon_time_to_first_token_seconds", "dragon_time_to_first_token_seconds_bucket",
                "dragon_generation_tokens_total", "jvm_threads_live_threads");
        assertThat(PrometheusExposition.metricNames(SCRAPE)).doesNotContain("dragon_generation_tokens", "HELP", "TYPE");
    }

    @Test
    void missingFrom_aScrape_namesTheDashboardMetricsItLacks() {
        var lacking = PrometheusExposition.metricNames(SCRAPE);

        assertThat(PromQl.metricNames("sum(dragon_sequences_waiting) + sum(rate(dragon_generation_tokens_total[1m]))")
                .stream().filter(m -> !lacking.contains(m))).containsExactly("dragon_sequences_waiting");
    }

    @Test
    void aLineThatIsNoSample_isRefused() {
        assertThatThrownBy(() -> PrometheusExposition.metricNames("{bad} 1\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{bad}");
    }
}
