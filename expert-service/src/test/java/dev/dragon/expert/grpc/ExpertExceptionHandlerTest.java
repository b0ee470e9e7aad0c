package dev.dragon.expert.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.expert.inference.ExpertMetrics;
import dev.dragon.expert.inference.ExpertPlacement;
import dev.dragon.expert.inference.ExpertRequestException;
import dev.dragon.expert.inference.ExpertRequestException.Kind;
import io.grpc.Status;
import io.grpc.StatusException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Every refusal kind has its own status and metric reason; a fault of the replica is INTERNAL. */
class ExpertExceptionHandlerTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ExpertExceptionHandler handler = new ExpertExceptionHandler(new ExpertMetrics(registry,
            new ExpertPlacement("g0", List.of(new TreeSet<>(List.of(0)))), 8));

    @Test
    void eachKind_mapsToItsStatus_keepsTheMessage_andCountsItsReason() {
        Map<Kind, Status.Code> expected = new EnumMap<>(Map.of(
                Kind.MODEL_MISMATCH, Status.Code.FAILED_PRECONDITION, Kind.NOT_SERVED, Status.Code.NOT_FOUND,
                Kind.INVALID_ROWS, Status.Code.INVALID_ARGUMENT, Kind.TOO_MANY_ROWS, Status.Code.RESOURCE_EXHAUSTED,
                Kind.NOT_READY, Status.Code.UNAVAILABLE));
        assertThat(expected).hasSize(Kind.values().length);
        for (var entry : expected.entrySet()) {
            StatusException status = handler.handleException(new ExpertRequestException(entry.getKey(), "why " + entry.getKey()));

            assertThat(status.getStatus().getCode()).isEqualTo(entry.getValue());
            assertThat(status.getStatus().getDescription()).isEqualTo("why " + entry.getKey());
            assertThat(registry.counter("dragon.expert.rejected", "group", "g0", "reason", entry.getKey().reason())
                    .count()).isEqualTo(1.0);
        }
    }

    @Test
    void anyOtherError_isInternal_andCountedAsSuch() {
        StatusException status = handler.handleException(new IllegalStateException("session lost"));

        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(status.getStatus().getDescription()).contains("session lost");
        assertThat(registry.counter("dragon.expert.rejected", "group", "g0", "reason", "internal").count()).isEqualTo(1.0);
    }
}
