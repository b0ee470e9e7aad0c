package dev.dragon.contracts.events;

/**
 * One finished request, published by the router to {@value EventTopics#INTERACTIONS} (key: response id).
 *
 * @param schemaVersion    {@link #SCHEMA_VERSION}
 * @param responseId       the id returned to the client ({@code chatcmpl-…}); feedback refers to it
 * @param requestId        the {@code x-dragon-request-id} of the request
 * @param tenant           tenant the gateway authenticated
 * @param model            bundle name
 * @param modelVersion     bundle version
 * @param adapterVersion   PC adapter version that produced every token of the completion
 * @param promptTokens     prompt token ids (chat template or completion prompt applied)
 * @param completionTokens generated token ids, a final stop token included
 * @param latencyMs        request accepted → last token, milliseconds
 * @param experts          optional {@code [completion token][layer][k]} routed experts, null when not recorded
 * @param timestampMs      when the request finished, epoch milliseconds
 */
public record InteractionEvent(int schemaVersion, String responseId, String requestId, String tenant, String model,
                               String modelVersion, String adapterVersion, int[] promptTokens, int[] completionTokens,
                               long latencyMs, int[][][] experts, long timestampMs) {

    public static final int SCHEMA_VERSION = 1;

    /** An event of the current schema version. */
    public static InteractionEvent of(String responseId, String requestId, String tenant, String model,
                                      String modelVersion, String adapterVersion, int[] promptTokens,
                                      int[] completionTokens, long latencyMs, int[][][] experts, long timestampMs) {
        return new InteractionEvent(SCHEMA_VERSION, responseId, requestId, tenant, model, modelVersion,
                adapterVersion, promptTokens, completionTokens, latencyMs, experts, timestampMs);
    }
}
