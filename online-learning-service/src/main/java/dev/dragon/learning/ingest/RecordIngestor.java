package dev.dragon.learning.ingest;

import dev.dragon.contracts.events.FeedbackEvent;
import dev.dragon.contracts.events.InteractionEvent;
import dev.dragon.learning.metrics.LearnerMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumed records in, examples out: decodes interactions and feedback, joins them, builds examples into the
 * {@link ExamplePool}, and keeps the {@link OffsetTracker} exact (every record is held while it matters and
 * released when it is used or dropped). One instance per consumer session: the learner builds a fresh one
 * whenever it resynchronises with Kafka. Not thread-safe.
 */
public final class RecordIngestor {

    private static final Logger LOG = LoggerFactory.getLogger(RecordIngestor.class);

    private final String interactionsTopic;
    private final EventCodec codec;
    private final ExampleBuilder builder;
    private final LearnerMetrics metrics;
    private final OffsetTracker offsets;
    private final FeedbackJoiner joiner;
    private final ExamplePool pool;

    public RecordIngestor(String interactionsTopic, EventCodec codec, ExampleBuilder builder, LearnerMetrics metrics,
                          OffsetTracker offsets, FeedbackJoiner joiner, ExamplePool pool) {
        this.interactionsTopic = interactionsTopic;
        this.codec = codec;
        this.builder = builder;
        this.metrics = metrics;
        this.offsets = offsets;
        this.joiner = joiner;
        this.pool = pool;
    }

    public OffsetTracker offsets() {
        return offsets;
    }

    public ExamplePool pool() {
        return pool;
    }

    public FeedbackJoiner joiner() {
        return joiner;
    }

    public void ingest(String topic, int partition, long offset, byte[] value, long nowNanos) {
        SourceRef ref = new SourceRef(topic, partition, offset);
        offsets.consumed(ref);
        metrics.consumed(topic);
        boolean interaction = topic.equals(interactionsTopic);
        try {
            if (interaction) {
                InteractionEvent e = codec.read(value, InteractionEvent.class);
                if (e.schemaVersion() != InteractionEvent.SCHEMA_VERSION || e.responseId() == null) {
                    throw new MalformedEventException("interaction of schema " + e.schemaVersion() + " without id");
                }
                for (FeedbackJoiner.Joined j : joiner.onInteraction(e, ref)) {
                    use(j, nowNanos);
                }
            } else {
                FeedbackEvent f = codec.read(value, FeedbackEvent.class);
                if (f.schemaVersion() != FeedbackEvent.SCHEMA_VERSION || f.responseId() == null
                        || f.feedbackId() == null) {
                    throw new MalformedEventException("feedback of schema " + f.schemaVersion() + " without ids");
                }
                List<FeedbackJoiner.Dropped> dropped = new ArrayList<>();
                FeedbackJoiner.Joined j = joiner.onFeedback(f, ref, nowNanos, dropped);
                dropped.forEach(this::drop);
                if (j != null) {
                    use(j, nowNanos);
                }
            }
        } catch (MalformedEventException e) {
            LOG.warn("skipping {} at {}-{}@{}: {}", interaction ? "interaction" : "feedback", topic, partition,
                    offset, e.getMessage());
            if (!interaction) {
                metrics.feedbackDropped("malformed");
            }
        }
    }

    /** An example the tenant share cap refused: its feedback is dropped. */
    public void dropCapped(Example e) {
        offsets.release(e.feedbackRef());
        metrics.feedbackDropped("tenant_cap");
    }

    /** Lets expired interactions and feedback that never found its interaction go (see {@link FeedbackJoiner#expire}). */
    public void expire(long nowNanos, boolean interactionsCaughtUp) {
        joiner.expire(nowNanos, interactionsCaughtUp).forEach(this::drop);
    }

    private void use(FeedbackJoiner.Joined j, long nowNanos) {
        if (!Objects.equals(j.interaction().tenant(), j.feedback().tenant())) {
            // a tenant may rate or correct only its own answers: another tenant's prompt must not train on it
            LOG.warn("feedback {} from tenant {} for a response of another tenant: dropped",
                    j.feedback().feedbackId(), j.feedback().tenant());
            drop(new FeedbackJoiner.Dropped(j.feedback(), j.feedbackRef(), "tenant_mismatch"));
            return;
        }
        ExampleBuilder.Built built;
        try {
            built = builder.build(j.interaction(), j.feedback(), j.feedbackRef());
        } catch (RuntimeException e) {
            LOG.warn("feedback {}: cannot build its example: {}", j.feedback().feedbackId(), e.toString());
            drop(new FeedbackJoiner.Dropped(j.feedback(), j.feedbackRef(), "malformed"));
            return;
        }
        if (built.example() == null) {
            LOG.debug("feedback {} gives no example: {}", j.feedback().feedbackId(), built.detail());
            drop(new FeedbackJoiner.Dropped(j.feedback(), j.feedbackRef(), built.dropped().label()));
            return;
        }
        metrics.examples(built.example().source().label(), 1);
        if (!pool.add(built.example(), nowNanos)) {
            drop(new FeedbackJoiner.Dropped(j.feedback(), j.feedbackRef(), "tenant_cap"));
        }
    }

    private void drop(FeedbackJoiner.Dropped d) {
        offsets.release(d.feedbackRef());
        metrics.feedbackDropped(d.reason());
        LOG.debug("feedback {} dropped: {}", d.feedback().feedbackId(), d.reason());
    }
}
