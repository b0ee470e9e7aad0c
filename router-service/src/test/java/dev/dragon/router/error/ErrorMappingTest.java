package dev.dragon.router.error;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.contracts.openai.ErrorResponse;
import dev.dragon.contracts.openai.Violation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;

/** Each failure gets its status, OpenAI body and rejection count from the one mapping. */
class ErrorMappingTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ErrorMapping mapping = new ErrorMapping(registry, 2);

    @Test
    void invalidRequest_is400WithTheViolation_countedInvalid() {
        ApiError e = mapping.map(new InvalidRequestException(new Violation("top_p", "bad top_p", "decimal_above_max_value")));

        assertThat(e).isEqualTo(new ApiError(400,
                ErrorResponse.of("bad top_p", "invalid_request_error", "top_p", "decimal_above_max_value"), null));
        assertThat(rejected("invalid")).isEqualTo(1);
    }

    @Test
    void unknownModel_is404ModelNotFound() {
        ApiError e = mapping.map(new ModelNotFoundException("gpt-x"));

        assertThat(e.status()).isEqualTo(404);
        assertThat(e.body().error()).isEqualTo(new ErrorResponse.Error(
                "The model 'gpt-x' does not exist or you do not have access to it.", "invalid_request_error", "model",
                "model_not_found"));
    }

    @Test
    void fullQueue_is429WithRetryAfter_countedQueueFull() {
        ApiError e = mapping.map(new OverloadedException(null));

        assertThat(e.status()).isEqualTo(429);
        assertThat(e.retryAfterSeconds()).isEqualTo(2);
        assertThat(e.body().error().type()).isEqualTo("rate_limit_exceeded");
        assertThat(e.body().error().code()).isEqualTo("server_overloaded");
        assertThat(rejected("queue_full")).isEqualTo(1);
    }

    @Test
    void unavailableExpertsAndShutdown_are503_countedUnavailable() {
        assertThat(mapping.map(new ExpertsUnavailableException(Map.of("layer 0 expert 1", "down"), null)).status())
                .isEqualTo(503);
        assertThat(mapping.map(new ShuttingDownException(null)).body().error().code()).isEqualTo("shutting_down");
        assertThat(rejected("unavailable")).isEqualTo(2);
    }

    @Test
    void engineFailureAndBugs_are500ServerErrors_notCountedAsRefusals() {
        assertThat(mapping.map(new GenerationFailedException(new RuntimeException("x"))).status()).isEqualTo(500);
        ApiError bug = mapping.map(new IllegalStateException("internal detail"));

        assertThat(bug.status()).isEqualTo(500);
        assertThat(bug.body().error().type()).isEqualTo("server_error");
        assertThat(bug.body().error().message()).doesNotContain("internal detail");
        assertThat(rejected("invalid") + rejected("queue_full") + rejected("unavailable")).isZero();
    }

    @Test
    void frameworkClientErrors_keepTheirStatus_andBodyLimits_are413() {
        ApiError notFound = mapping.map(new ResponseStatusException(HttpStatus.NOT_FOUND, "No static resource v2/x."));
        ApiError tooLarge = mapping.map(new ServerWebInputException("Failed to read HTTP message", null,
                new DataBufferLimitException("Exceeded limit on max bytes to buffer : 1048576")));

        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.body().error()).isEqualTo(new ErrorResponse.Error("No static resource v2/x.",
                "invalid_request_error", null, "not_found"));
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.body().error().code()).isEqualTo("request_too_large");
        assertThat(rejected("invalid")).isEqualTo(2);
    }

    private double rejected(String reason) {
        return registry.counter("dragon.requests.rejected", "reason", reason).count();
    }
}
