package dev.dragon.router.events;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the router publishes events ({@code dragon.router.events.*}); nested in the router's one properties record.
 *
 * @param enabled             false: nothing is sent (every event is counted as dropped)
 * @param bootstrapServers    Kafka brokers
 * @param bufferSize          events held in memory while Kafka is slow or away; one more is dropped
 * @param maxCorrectionChars  longest {@code corrected_completion} accepted by {@code POST /v1/feedback}
 * @param retryBackoff        pause before resending events Kafka did not take
 * @param logInterval         at most one "events dropped" / "Kafka unavailable" log line per interval
 * @param topics              topic names
 */
public record EventsProperties(@DefaultValue("false") boolean enabled,
                               @DefaultValue("localhost:9092") @NotBlank String bootstrapServers,
                               @DefaultValue("10000") @Positive int bufferSize,
                               @DefaultValue("8192") @Positive int maxCorrectionChars,
                               @DefaultValue("1s") @NotNull Duration retryBackoff,
                               @DefaultValue("30s") @NotNull Duration logInterval,
                               @DefaultValue @Valid @NotNull Topics topics) {

    /**
     * @param interactions one event per finished request
     * @param feedback     one event per {@code POST /v1/feedback}
     */
    public record Topics(@DefaultValue("dragon.interactions") @NotBlank String interactions,
                         @DefaultValue("dragon.feedback") @NotBlank String feedback) {
    }
}
