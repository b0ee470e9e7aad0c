package dev.dragon.core.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds prompt ids the way the model was trained:
 * <ul>
 *   <li>completion: {@code [<|bos|>] + encode(prompt)}; stops at {@code <|eos|>};</li>
 *   <li>chat: {@code [<|bos|>]}, per message {@code [role] + encode(content) + [<|end|>]}, then
 *       {@code [<|assistant|>]}; stops at the template's stop tokens ({@code <|end|>}, {@code <|eos|>}).</li>
 * </ul>
 */
public final class ChatTemplate {

    /** Special-token names of the template as written in {@code tokenizer.json}'s {@code chat_template}. */
    record Spec(String bos, Map<String, String> roles, String end, String generationPrompt, List<String> stop,
                String eos) {
    }

    private final BpeTokenizer tokenizer;
    private final int bos;
    private final Map<String, Integer> roles;
    private final int end;
    private final int generationPrompt;
    private final int[] chatStop;
    private final int[] completionStop;

    ChatTemplate(BpeTokenizer tokenizer, Spec spec) {
        this.tokenizer = tokenizer;
        this.bos = tokenizer.specialTokenId(spec.bos());
        Map<String, Integer> roleIds = new LinkedHashMap<>();
        spec.roles().forEach((role, token) -> roleIds.put(role, tokenizer.specialTokenId(token)));
        this.roles = java.util.Collections.unmodifiableMap(roleIds);
        this.end = tokenizer.specialTokenId(spec.end());
        this.generationPrompt = tokenizer.specialTokenId(spec.generationPrompt());
        this.chatStop = spec.stop().stream().mapToInt(tokenizer::specialTokenId).toArray();
        this.completionStop = new int[] {tokenizer.specialTokenId(spec.eos())};
    }

    /** Prompt ids for a chat; fails with {@link IllegalArgumentException} naming an unknown role. */
    public int[] chatPrompt(List<ChatMessage> messages) {
        List<int[]> parts = new ArrayList<>();
        parts.add(new int[] {bos});
        for (ChatMessage message : messages) {
            parts.add(new int[] {roleId(message.role())});
            parts.add(tokenizer.encode(message.content()));
            parts.add(new int[] {end});
        }
        parts.add(new int[] {generationPrompt});
        return concat(parts);
    }

    /** Prompt ids for a plain completion. */
    public int[] completionPrompt(String prompt) {
        return concat(List.of(new int[] {bos}, tokenizer.encode(prompt)));
    }

    /** Ids that end a chat reply. */
    public int[] chatStopIds() {
        return chatStop.clone();
    }

    /** Ids that end a completion. */
    public int[] completionStopIds() {
        return completionStop.clone();
    }

    /** Roles the template accepts. */
    public Set<String> roles() {
        return roles.keySet();
    }

    /** Special-token id that opens a message of {@code role}. */
    public int roleId(String role) {
        Integer id = roles.get(role);
        if (id == null) {
            throw new IllegalArgumentException("unknown role '" + role + "' (expected one of: "
                    + String.join(", ", roles.keySet()) + ")");
        }
        return id;
    }

    private static int[] concat(List<int[]> parts) {
        int[] out = new int[parts.stream().mapToInt(p -> p.length).sum()];
        int n = 0;
        for (int[] part : parts) {
            System.arraycopy(part, 0, out, n, part.length);
            n += part.length;
        }
        return out;
    }

    @Override
    public String toString() {
        return "ChatTemplate[roles=" + roles + ", chatStop=" + Arrays.toString(chatStop) + "]";
    }
}
