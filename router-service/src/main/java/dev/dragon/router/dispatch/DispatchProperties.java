package dev.dragon.router.dispatch;

import dev.dragon.core.tensor.TensorCodec;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the router computes routed experts ({@code dragon.router.dispatch.*}); nested in the router's one
 * properties record.
 *
 * @param mode        {@code local}: every expert in this process; {@code remote}: expert groups over gRPC
 * @param precision   rows on the wire: {@code fp16} (half the bytes; the golden greedy continuations hold,
 *                    RemoteGoldenIT) or {@code fp32} (bit-exact with in-process experts)
 * @param callTimeout deadline of one call to one replica; a slower call is retried on another replica
 * @param deadline    deadline of one layer's dispatch to a group, retries included
 * @param retries     calls to other replicas of the group after the first one fails
 * @param placement   group → per layer, the experts it serves; empty = the bundle's partition. An expert
 *                    in several groups goes to the least loaded of them.
 */
public record DispatchProperties(@NotNull @DefaultValue("local") Mode mode,
                                 @NotNull @DefaultValue("fp16") TensorCodec.Precision precision,
                                 @NotNull @DefaultValue("2s") Duration callTimeout,
                                 @NotNull @DefaultValue("10s") Duration deadline,
                                 @Min(0) @Max(16) @DefaultValue("2") int retries,
                                 @NotNull @DefaultValue Map<String, List<List<Integer>>> placement) {

    /** Where routed experts run. */
    public enum Mode { LOCAL, REMOTE }

    public DispatchProperties {
        if (callTimeout != null && (callTimeout.isNegative() || callTimeout.isZero())) {
            throw new IllegalArgumentException("dragon.router.dispatch.call-timeout must be positive, was " + callTimeout);
        }
        if (deadline != null && callTimeout != null && deadline.compareTo(callTimeout) < 0) {
            throw new IllegalArgumentException("dragon.router.dispatch.deadline (" + deadline
                    + ") must be at least call-timeout (" + callTimeout + ")");
        }
    }
}
