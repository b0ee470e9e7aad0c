package dev.dragon.learning.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.contracts.events.FeedbackEvent;
import dev.dragon.contracts.events.InteractionEvent;
import dev.dragon.core.bundle.ModelBundle;
import dev.dragon.core.tokenizer.BpeTokenizer;
import dev.dragon.learning.metrics.LearnerMetrics;
import dev.dragon.learning.testing.ShippedBundle;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the ingestor does with a joined pair before any example is built. */
class RecordIngestorTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final OffsetTracker offsets = new OffsetTracker();
    private final EventCodec codec = new EventCodec();
    private final RecordIngestor ingestor = new RecordIngestor("dragon.interactions", codec,
            // no feature extractor: a pair that gets as far as building an example fails there (dropped as malformed)
            new ExampleBuilder(tokenizer(), null, 512),
            new LearnerMetrics(registry), offsets,
            new FeedbackJoiner(Duration.ofMinutes(10), Duration.ofSeconds(30), 100, offsets),
            new ExamplePool(10, 8, 1, 0.5, 100));

    @Test
    void feedbackFromAnotherTenant_isDropped_andNeverBuiltIntoAnExample() {
        ingestor.ingest("dragon.interactions", 0, 0, codec.write(interaction("r1", "tenant-a")), 0);

        ingestor.ingest("dragon.feedback", 0, 0, codec.write(feedback("f1", "r1", "tenant-b")), 0);

        assertThat(dropped("tenant_mismatch")).isEqualTo(1.0);
        assertThat(dropped("malformed")).isZero();
        assertThat(offsets.heldCount()).as("only the interaction is still held").isEqualTo(1);
    }

    @Test
    void feedbackFromTheSameTenant_goesOnToTheExampleBuilder() {
        ingestor.ingest("dragon.interactions", 0, 0, codec.write(interaction("r1", "tenant-a")), 0);

        ingestor.ingest("dragon.feedback", 0, 0, codec.write(feedback("f1", "r1", "tenant-a")), 0);

        assertThat(dropped("tenant_mismatch")).isZero();
        assertThat(dropped("malformed")).as("reached the builder (which has no feature extractor here)").isEqualTo(1.0);
    }

    private static BpeTokenizer tokenizer() {
        try {
            return BpeTokenizer.load(ModelBundle.open(ShippedBundle.DIR).tokenizerFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private double dropped(String reason) {
        var c = registry.find("dragon.learner.feedback.dropped").tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    private static InteractionEvent interaction(String responseId, String tenant) {
        return InteractionEvent.of(responseId, "req", tenant, "dragon-moe-mini", "1.0.0", "0", new int[] {1, 2},
                new int[] {3}, 5, null, 1_000);
    }

    private static FeedbackEvent feedback(String id, String responseId, String tenant) {
        return FeedbackEvent.of(id, responseId, "req", tenant, 1, null, 2_000);
    }
}
