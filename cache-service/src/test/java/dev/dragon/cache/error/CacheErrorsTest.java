package dev.dragon.cache.error;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.cache.metrics.CacheMetrics;
import io.grpc.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerResponse;

class CacheErrorsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CacheErrors errors = new CacheErrors(new CacheMetrics(registry));

    private double failures(String reason) {
        return registry.get("dragon.cache.failures").tag("reason", reason).counter().count();
    }

    @Test
    void eachKind_mapsToItsGrpcStatus_andIsCountedOnce() {
        assertThat(errors.toGrpc(new InvalidCacheRequestException("tenant", "bad")).getStatus())
                .satisfies(s -> assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
                .satisfies(s -> assertThat(s.getDescription()).isEqualTo("tenant: bad"));
        assertThat(errors.toGrpc(InvalidCacheRequestException.unsupportedSchema(3)).getStatus().getCode())
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(errors.toGrpc(new CompletionException(new CacheUnavailableException("down", null))).getStatus().getCode())
                .isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(errors.toGrpc(new KvStateEvictedException("gone")).getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(errors.toGrpc(new IllegalStateException("bug")).getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);

        assertThat(failures("invalid")).isEqualTo(2);
        assertThat(failures("unavailable")).isEqualTo(1);
        assertThat(failures("evicted")).isEqualTo(1);
        assertThat(failures("internal")).isEqualTo(1);
    }

    @Test
    void http_getsOpenAiStyleStatuses() {
        ServerResponse invalid = errors.toHttp(new InvalidCacheRequestException("tenant", "bad")).block();
        ServerResponse unavailable = errors.toHttp(new CacheUnavailableException("down", null)).block();
        ServerResponse bug = errors.toHttp(new NullPointerException()).block();

        assertThat(invalid.statusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(unavailable.statusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(bug.statusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(failures("invalid") + failures("unavailable") + failures("internal")).isEqualTo(3);
    }
}
