package dev.dragon.router.api;

import dev.dragon.core.tokenizer.BpeTokenizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** How single tokens are shown in logprobs: their bytes UTF-8-decoded, special tokens by name. */
final class TokenText {

    private final BpeTokenizer tokenizer;
    private final Map<Integer, String> specialNames = new HashMap<>();

    TokenText(BpeTokenizer tokenizer) {
        this.tokenizer = tokenizer;
        tokenizer.specialTokens().forEach((name, id) -> specialNames.put(id, name));
    }

    String text(int id) {
        String special = specialNames.get(id);
        return special != null ? special : new String(tokenizer.tokenBytes(id), StandardCharsets.UTF_8);
    }

    /** The token's bytes as unsigned ints (OpenAI's {@code bytes}); a special token's name's bytes. */
    List<Integer> bytes(int id) {
        String special = specialNames.get(id);
        byte[] b = special != null ? special.getBytes(StandardCharsets.UTF_8) : tokenizer.tokenBytes(id);
        List<Integer> out = new ArrayList<>(b.length);
        for (byte x : b) {
            out.add(x & 0xff);
        }
        return out;
    }
}
