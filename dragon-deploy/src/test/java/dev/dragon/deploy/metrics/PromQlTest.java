package dev.dragon.deploy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void metricNames_findsEveryDragonMetric_andNamesHistogramsBySeriesBase() {
        String expression = "histogram_quantile(0.95, sum by (le) (rate(dragon_time_to_first_token_seconds_bucket[5m])))"
                + " / sum(rate(dragon_batch_size_sum[5m])) / sum(rate(dragon_batch_size_count[5m]))"
                + " + sum(dragon_sequences_waiting)";

        assertThat(PromQl.metricNames(expression)).containsExactly(
                "dragon_batch_size", "dragon_sequences_waiting", "dragon_time_to_first_token_seconds");
    }

    @Test
    void metricNames_ignoresOtherMetrics_labelValues_andLongerIdentifiers() {
        String expression = "up{job=~\"dragon-router\"} * on() mydragon_thing + node_dragon_x{name=\"dragon-x\"}";

        assertThat(PromQl.metricNames(expression)).isEmpty();
    }

    @Test
    void metricNames_keepsCountersTotalSuffix() {
        assertThat(PromQl.metricNames("increase(dragon_learner_candidates_total{outcome=\"promoted\"}[6h])"))
                .containsExactly("dragon_learner_candidates_total");
    }
}
