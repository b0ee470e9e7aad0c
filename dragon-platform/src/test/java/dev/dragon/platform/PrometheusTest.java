package dev.dragon.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusTest {

    private static final String TEXT = """
            # HELP dragon_events_published_total Kafka events sent
            # TYPE dragon_events_published_total counter
            dragon_events_published_total{application="router-service",topic="dragon.feedback"} 3.0
            dragon_events_published_total{application="router-service",topic="dragon.interactions"} 40.0
            dragon_events_published_totally_other 99.0
            dragon_sequences_running{application="router-service"} 2.0
            jvm_threads_live_threads 57
            """;

    @Test
    void sum_addsEveryLabelSet_orOnlyThoseMatchingTheFilter() {
        assertThat(Prometheus.sum(TEXT, "dragon_events_published_total", null)).hasValue(43.0);
        assertThat(Prometheus.sum(TEXT, "dragon_events_published_total", "topic=\"dragon.feedback\"")).hasValue(3.0);
        assertThat(Prometheus.sum(TEXT, "jvm_threads_live_threads", null)).hasValue(57.0);
    }

    @Test
    void sum_isEmpty_forAnAbsentMetric_andIgnoresLongerNamesWithTheSamePrefix() {
        assertThat(Prometheus.sum(TEXT, "dragon_events_dropped_total", null)).isEmpty();
        assertThat(Prometheus.sum(TEXT, "dragon_events_published", null)).isEmpty();
    }
}
