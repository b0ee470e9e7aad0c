package dev.dragon.router.adapters;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the router follows adapter versions ({@code dragon.router.adapters.*}); nested in the router's one
 * properties record.
 *
 * @param enabled          false: the router serves the bundle's own PC layer (version 0) and reads nothing
 * @param bootstrapServers Kafka brokers
 * @param topic            the compacted topic the learner publishes versions and pin records on
 * @param signingKey       the HMAC key shared with the learner (dragon.learning.signing-key); versions it did not
 *                         sign are refused
 * @param retainedVersions verified versions kept in memory (the newest ones, plus a pinned one); a pin of an
 *                         older version re-reads the topic
 * @param retryBackoff     pause before looking for the topic again when it does not exist yet
 */
public record AdaptersProperties(@DefaultValue("false") boolean enabled,
                                 @DefaultValue("localhost:9092") @NotBlank String bootstrapServers,
                                 @DefaultValue("dragon.adapters") @NotBlank String topic,
                                 @DefaultValue("local-dev-only-signing-key") @NotBlank String signingKey,
                                 @DefaultValue("4") @Positive int retainedVersions,
                                 @DefaultValue("2s") @NotNull Duration retryBackoff) {
}
