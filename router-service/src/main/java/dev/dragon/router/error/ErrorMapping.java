package dev.dragon.router.error;

import dev.dragon.contracts.openai.ErrorResponse;
import dev.dragon.contracts.openai.Violation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * The one place that turns any failure into an HTTP status, an OpenAI error body and a count of
 * {@code dragon_requests_rejected_total{reason}}: used for plain responses ({@link ApiErrorHandler}) and for
 * errors inside an already started event stream.
 */
public final class ErrorMapping {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);
    private static final String INVALID = "invalid_request_error";
    private static final String SERVER = "server_error";

    private final int retryAfterSeconds;
    private final Map<String, Counter> rejected;

    public ErrorMapping(MeterRegistry registry, int retryAfterSeconds) {
        this.retryAfterSeconds = retryAfterSeconds;
        this.rejected = Map.of(
                "invalid", rejectedCounter(registry, "invalid"),
                "queue_full", rejectedCounter(registry, "queue_full"),
                "unavailable", rejectedCounter(registry, "unavailable"));
    }

    private static Counter rejectedCounter(MeterRegistry registry, String reason) {
        return Counter.builder("dragon.requests.rejected").description("refused requests")
                .tag("reason", reason).register(registry);
    }

    /** Maps {@code error}, counts it when it is a refusal, and logs it at a level that fits. */
    public ApiError map(Throwable error) {
        ApiError e = switch (error) {
            case InvalidRequestException x -> reject("invalid", 400, x.violation().toErrorResponse(), null);
            case ModelNotFoundException x ->
                    reject("invalid", 404, ErrorResponse.of(x.getMessage(), INVALID, "model", "model_not_found"), null);
            case OverloadedException x -> reject("queue_full", 429,
                    ErrorResponse.of(x.getMessage(), "rate_limit_exceeded", null, "server_overloaded"), retryAfterSeconds);
            case ExpertsUnavailableException x -> reject("unavailable", 503,
                    ErrorResponse.of(x.getMessage(), SERVER, null, "experts_unavailable"), retryAfterSeconds);
            case ShuttingDownException x -> reject("unavailable", 503,
                    ErrorResponse.of(x.getMessage(), SERVER, null, "shutting_down"), retryAfterSeconds);
            case GenerationFailedException x -> new ApiError(500, ErrorResponse.of(x.getMessage(), SERVER, null, null), null);
            default -> framework(error);
        };
        log(error, e);
        return e;
    }

    private ApiError framework(Throwable error) {
        if (causedBy(error, DataBufferLimitException.class)) {
            return reject("invalid", 413, new Violation(null, "The request body is too large.", "request_too_large")
                    .toErrorResponse(), null);
        }
        if (error instanceof ResponseStatusException rse && rse.getStatusCode().is4xxClientError()) {
            int status = rse.getStatusCode().value();
            HttpStatus known = HttpStatus.resolve(status);
            String code = known == null ? null : known.name().toLowerCase(java.util.Locale.ROOT);
            String reason = rse.getReason() != null ? rse.getReason() : (known != null ? known.getReasonPhrase() : "Error");
            return reject("invalid", status, ErrorResponse.of(reason, INVALID, null, code), null);
        }
        return new ApiError(500, ErrorResponse.of("The server had an error while processing your request.", SERVER,
                null, null), null);
    }

    private ApiError reject(String reason, int status, ErrorResponse body, Integer retryAfter) {
        rejected.get(reason).increment();
        return new ApiError(status, body, retryAfter);
    }

    private static void log(Throwable error, ApiError e) {
        if (e.status() >= 500 && !(error instanceof RouterException) || error instanceof GenerationFailedException) {
            LOG.error("request failed: {}", e.body().error().message(), error);
        } else if (e.status() >= 500) {
            LOG.warn("request refused ({}): {}", e.status(), error.getMessage());
        } else {
            LOG.debug("request refused ({}): {}", e.status(), error.getMessage());
        }
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
