package dev.dragon.core.tokenizer;

import java.util.Objects;

/**
 * One chat message.
 *
 * @param role    {@code system}, {@code user} or {@code assistant} (checked by {@link ChatTemplate})
 * @param content message text; special-token names in it are plain text
 */
public record ChatMessage(String role, String content) {

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }
}
