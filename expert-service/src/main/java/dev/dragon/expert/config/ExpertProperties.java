package dev.dragon.expert.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Everything expert-service reads from configuration ({@code dragon.expert.*}).
 *
 * @param bundle    the model bundle directory
 * @param group     the expert group this replica belongs to; without a {@code placement} it must be a
 *                  group of the bundle's partition, whose experts are then served
 * @param placement optional explicit placement: per layer (index = layer), the expert ids served; one
 *                  expert may be placed in several groups (redundant hot experts). Empty = the partition's.
 * @param ort       ONNX Runtime threading
 * @param warmUp    warm-up before the replica reports ready
 * @param limits    request limits
 */
@Validated
@ConfigurationProperties("dragon.expert")
public record ExpertProperties(
        @NotNull @DefaultValue("models/dragon-moe-mini") Path bundle,
        @NotBlank String group,
        @DefaultValue List<List<@NotNull @Min(0) Integer>> placement,
        @Valid @NotNull @DefaultValue Ort ort,
        @Valid @NotNull @DefaultValue WarmUp warmUp,
        @Valid @NotNull @DefaultValue Limits limits) {

    /**
     * @param threads  intra-op threads of one graph run; 0 = the cores this process is given (the JVM's
     *                 available processors: a pod's CPU limit, or {@code -XX:ActiveProcessorCount}), at most 8
     * @param spinning whether idle ORT threads spin before sleeping (lower latency, more CPU)
     */
    public record Ort(@Min(0) @Max(64) @DefaultValue("0") int threads, @DefaultValue("false") boolean spinning) {
    }

    /**
     * @param rows   rows per expert in each warm-up run
     * @param rounds warm-up runs of every served expert
     */
    public record WarmUp(@Min(1) @Max(4096) @DefaultValue("64") int rows,
                         @Min(1) @Max(100) @DefaultValue("3") int rounds) {
    }

    /** @param maxRowsPerCall most rows (summed over experts) one Dispatch call may carry */
    public record Limits(@Min(1) @DefaultValue("16384") int maxRowsPerCall) {
    }
}
