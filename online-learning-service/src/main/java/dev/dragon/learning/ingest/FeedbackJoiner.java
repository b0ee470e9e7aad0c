package dev.dragon.learning.ingest;

import dev.dragon.contracts.events.FeedbackEvent;
import dev.dragon.contracts.events.InteractionEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Joins feedback with its interaction by response id. Interactions are kept for {@code window} of event time
 * (the newest timestamp seen), so feedback given up to {@code window} after a response joins it; feedback that
 * arrives before its interaction waits up to {@code feedbackWait} of wall time (topics are read in parallel).
 * Every record kept is held in the {@link OffsetTracker}; a joined feedback stays held (its example owns it).
 */
public final class FeedbackJoiner {

    /** A feedback and the interaction it judges. */
    public record Joined(InteractionEvent interaction, FeedbackEvent feedback, SourceRef feedbackRef) {
    }

    /** Feedback that will never join; {@code reason} is the metric label. */
    public record Dropped(FeedbackEvent feedback, SourceRef feedbackRef, String reason) {
    }

    private record HeldInteraction(InteractionEvent event, SourceRef ref) {
    }

    private record Waiting(FeedbackEvent event, SourceRef ref, long sinceNanos) {
    }

    private final long windowMs;
    private final long waitNanos;
    private final int maxInteractions;
    private final OffsetTracker offsets;
    private final LinkedHashMap<String, HeldInteraction> interactions = new LinkedHashMap<>();
    private final LinkedHashMap<SourceRef, Waiting> waiting = new LinkedHashMap<>();
    private long streamTimeMs = Long.MIN_VALUE;

    public FeedbackJoiner(Duration window, Duration feedbackWait, int maxInteractions, OffsetTracker offsets) {
        this.windowMs = window.toMillis();
        this.waitNanos = feedbackWait.toNanos();
        this.maxInteractions = maxInteractions;
        this.offsets = offsets;
    }

    /** Keeps {@code event}; returns the waiting feedback it completes. */
    public List<Joined> onInteraction(InteractionEvent event, SourceRef ref) {
        advance(event.timestampMs());
        HeldInteraction previous = interactions.remove(event.responseId());
        if (previous != null) {
            offsets.release(previous.ref());
        }
        offsets.hold(ref);
        interactions.put(event.responseId(), new HeldInteraction(event, ref));
        while (interactions.size() > maxInteractions) {
            evictOldest();
        }
        List<Joined> joined = new ArrayList<>();
        for (Iterator<Waiting> it = waiting.values().iterator(); it.hasNext(); ) {
            Waiting w = it.next();
            if (w.event().responseId().equals(event.responseId())) {
                it.remove();
                joined.add(new Joined(event, w.event(), w.ref()));
            }
        }
        return joined;
    }

    /**
     * Joins {@code event} with its interaction when that is here: returns the pair, or null when the feedback
     * waits (held) or was dropped (then reported by {@link #expire} or in {@code dropped}).
     */
    public Joined onFeedback(FeedbackEvent event, SourceRef ref, long nowNanos, List<Dropped> dropped) {
        advance(event.timestampMs());
        offsets.hold(ref);
        HeldInteraction interaction = interactions.get(event.responseId());
        if (interaction == null) {
            waiting.put(ref, new Waiting(event, ref, nowNanos));
            return null;
        }
        if (event.timestampMs() - interaction.event().timestampMs() > windowMs) {
            dropped.add(new Dropped(event, ref, "expired"));
            return null;
        }
        return new Joined(interaction.event(), event, ref);
    }

    /**
     * Lets go of interactions older than the window and, when {@code interactionsCaughtUp} (every interaction
     * partition was read to its end), of feedback that waited too long for its interaction: a learner busy
     * catching up never gives up on feedback whose interaction it simply has not read yet.
     */
    public List<Dropped> expire(long nowNanos, boolean interactionsCaughtUp) {
        for (Iterator<HeldInteraction> it = interactions.values().iterator(); it.hasNext(); ) {
            HeldInteraction h = it.next();
            if (streamTimeMs - h.event().timestampMs() <= windowMs) {
                break;
            }
            it.remove();
            offsets.release(h.ref());
        }
        List<Dropped> dropped = new ArrayList<>();
        if (!interactionsCaughtUp) {
            return dropped;
        }
        for (Iterator<Waiting> it = waiting.values().iterator(); it.hasNext(); ) {
            Waiting w = it.next();
            if (nowNanos - w.sinceNanos() < waitNanos) {
                break;
            }
            it.remove();
            dropped.add(new Dropped(w.event(), w.ref(), "unknown_response"));
        }
        return dropped;
    }

    /** Per feedback partition, the lowest offset of a feedback still waiting for its interaction. */
    public Map<OffsetTracker.Partition, Long> waitingCuts() {
        Map<OffsetTracker.Partition, Long> cuts = new java.util.HashMap<>();
        for (SourceRef ref : waiting.keySet()) {
            cuts.merge(new OffsetTracker.Partition(ref.topic(), ref.partition()), ref.offset(), Math::min);
        }
        return cuts;
    }

    public int interactionCount() {
        return interactions.size();
    }

    public int waitingCount() {
        return waiting.size();
    }

    private void evictOldest() {
        Map.Entry<String, HeldInteraction> oldest = interactions.entrySet().iterator().next();
        interactions.remove(oldest.getKey());
        offsets.release(oldest.getValue().ref());
    }

    private void advance(long timestampMs) {
        streamTimeMs = Math.max(streamTimeMs, timestampMs);
    }
}
