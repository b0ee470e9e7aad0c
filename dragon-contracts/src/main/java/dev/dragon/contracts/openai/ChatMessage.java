package dev.dragon.contracts.openai;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One chat message: in a request's {@code messages}, and as the assistant's reply in a {@link ChatCompletion}.
 *
 * @param role    {@code system}, {@code developer} (an alias of system), {@code user} or {@code assistant}
 * @param content the text (content-part arrays are not supported)
 * @param name    optional participant name (accepted, not used by the model)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatMessage(String role, String content, String name) {

    public static ChatMessage of(String role, String content) {
        return new ChatMessage(role, content, null);
    }
}
