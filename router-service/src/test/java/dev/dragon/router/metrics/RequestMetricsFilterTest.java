package dev.dragon.router.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The endpoint label stays bounded whatever path a client sends. */
class RequestMetricsFilterTest {

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", textBlock = """
            /v1/chat/completions,        chat_completions
            /v1/completions,             completions
            /v1/models,                  models
            /v1/models/dragon-moe-mini,  models
            /v1/feedback,                feedback
            /v1/embeddings,              other
            /v1/anything/req-123456,     other
            /actuator/prometheus,        NULL
            /,                           NULL
            """)
    void endpoint_isOneOfAFewLabels_orNoneOutsideTheApi(String path, String label) {
        assertThat(RequestMetricsFilter.endpoint(path)).isEqualTo(label);
    }
}
