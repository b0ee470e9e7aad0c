package dev.dragon.cache.error;

import dev.dragon.cache.metrics.CacheMetrics;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The one place where a failure becomes what the caller sees: a gRPC status, or an HTTP status with an
 * OpenAI-style body {@code {"error":{"message","type","param","code"}}}, and one increment of
 * {@code dragon_cache_failures_total{reason}}. Anything that is not a {@link CacheException} is a bug:
 * INTERNAL / 500, logged with its stack trace.
 */
@Component
public class CacheErrors {

    private static final Logger log = LoggerFactory.getLogger(CacheErrors.class);

    private final CacheMetrics metrics;

    public CacheErrors(CacheMetrics metrics) {
        this.metrics = metrics;
    }

    /** OpenAI-style error body. */
    public record ErrorBody(Detail error) {
    }

    public record Detail(String message, String type, String param, String code) {
    }

    /** What a gRPC caller receives for {@code failure}. */
    public StatusRuntimeException toGrpc(Throwable failure) {
        Throwable t = unwrap(failure);
        count(t);
        return switch (t) {
            case InvalidCacheRequestException e when e.isSchemaMismatch() ->
                    Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException();
            case InvalidCacheRequestException e ->
                    Status.INVALID_ARGUMENT.withDescription(e.param() + ": " + e.getMessage()).asRuntimeException();
            case CacheUnavailableException e -> Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException();
            case KvStateEvictedException e -> Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException();
            case StatusRuntimeException e -> e;
            default -> Status.INTERNAL.withDescription("internal error: " + t.getClass().getSimpleName())
                    .asRuntimeException();
        };
    }

    /** What an HTTP (admin) caller receives for {@code failure}. */
    public Mono<ServerResponse> toHttp(Throwable failure) {
        Throwable t = unwrap(failure);
        count(t);
        HttpStatus status;
        Detail detail;
        switch (t) {
            case InvalidCacheRequestException e -> {
                status = HttpStatus.BAD_REQUEST;
                detail = new Detail(e.getMessage(), "invalid_request_error", e.param(), "invalid_" + e.param());
            }
            case CacheUnavailableException e -> {
                status = HttpStatus.SERVICE_UNAVAILABLE;
                detail = new Detail(e.getMessage(), "server_error", null, "redis_unavailable");
            }
            default -> {
                status = HttpStatus.INTERNAL_SERVER_ERROR;
                detail = new Detail("internal error", "server_error", null, "internal_error");
            }
        }
        return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON).bodyValue(new ErrorBody(detail));
    }

    private void count(Throwable t) {
        if (t instanceof CacheException e) {
            metrics.failure(e.reason());
        } else if (!(t instanceof StatusRuntimeException) && !(t instanceof CancellationException)) {
            metrics.failure("internal");
            log.error("unexpected failure", t);
        }
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
