package dev.dragon.contracts.events;

/**
 * A user's judgement of one response, published by the router to {@value EventTopics#FEEDBACK}
 * (key: response id).
 *
 * @param schemaVersion       {@link #SCHEMA_VERSION}
 * @param feedbackId          unique id of this feedback (the learner accounts for every one)
 * @param responseId          the response judged
 * @param requestId           the {@code x-dragon-request-id} of the feedback call
 * @param tenant              tenant the gateway authenticated
 * @param rating              {@link #NEGATIVE}, {@link #NEUTRAL} or {@link #POSITIVE}
 * @param correctedCompletion what the completion should have been, or null
 * @param timestampMs         when the feedback was received, epoch milliseconds
 */
public record FeedbackEvent(int schemaVersion, String feedbackId, String responseId, String requestId, String tenant,
                            int rating, String correctedCompletion, long timestampMs) {

    public static final int SCHEMA_VERSION = 1;
    public static final int NEGATIVE = -1;
    public static final int NEUTRAL = 0;
    public static final int POSITIVE = 1;

    /** An event of the current schema version. */
    public static FeedbackEvent of(String feedbackId, String responseId, String requestId, String tenant, int rating,
                                   String correctedCompletion, long timestampMs) {
        return new FeedbackEvent(SCHEMA_VERSION, feedbackId, responseId, requestId, tenant, rating,
                correctedCompletion, timestampMs);
    }

    public boolean hasCorrection() {
        return correctedCompletion != null && !correctedCompletion.isBlank();
    }
}
