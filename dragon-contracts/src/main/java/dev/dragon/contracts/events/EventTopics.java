package dev.dragon.contracts.events;

/**
 * Default Kafka topic names and record keys of the online-adaptation loop.
 *
 * <ul>
 *   <li>{@value #INTERACTIONS}: one {@link InteractionEvent} per finished request, keyed by response id;</li>
 *   <li>{@value #FEEDBACK}: one {@link FeedbackEvent} per {@code POST /v1/feedback}, keyed by response id
 *       (co-partitioned with interactions when both topics have the same partition count);</li>
 *   <li>{@value #ADAPTERS}: compacted, one partition (a total order): {@link AdapterVersionEvent}s under
 *       {@link #versionKey(long)} (every version has its own key, so compaction keeps each one for rollback and
 *       for routers that start later) and the latest {@link AdapterControlEvent} under {@value #CONTROL_KEY};</li>
 *   <li>{@value #DECISIONS}: one {@link CandidateDecisionEvent} per candidate the learner judged (audit log).</li>
 * </ul>
 */
public final class EventTopics {

    public static final String INTERACTIONS = "dragon.interactions";
    public static final String FEEDBACK = "dragon.feedback";
    public static final String ADAPTERS = "dragon.adapters";
    public static final String DECISIONS = "dragon.learner.decisions";

    /** Key of the pin/unpin record on {@value #ADAPTERS}; compaction keeps only the latest. */
    public static final String CONTROL_KEY = "control";

    private static final String VERSION_PREFIX = "version-";

    private EventTopics() {
    }

    /** Key of adapter version {@code version} on {@value #ADAPTERS}: zero-padded so keys sort like versions. */
    public static String versionKey(long version) {
        return VERSION_PREFIX + String.format("%012d", version);
    }

    /** The version a {@link #versionKey} names, or -1 when {@code key} is not a version key. */
    public static long versionOfKey(String key) {
        if (key == null || !key.startsWith(VERSION_PREFIX)) {
            return -1;
        }
        try {
            return Long.parseLong(key.substring(VERSION_PREFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
