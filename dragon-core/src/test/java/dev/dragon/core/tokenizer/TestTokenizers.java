package dev.dragon.core.tokenizer;

import dev.dragon.core.json.JsonField;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** A small hand-built tokenizer.json: 256 byte tokens, a handful of merges and the chat special tokens. */
final class TestTokenizers {

    /** Python-re-compatible GPT-2 style split; every character belongs to exactly one match. */
    static final String PATTERN =
            "'(?:[sdmt]|ll|ve|re)| ?[^\\W\\d_]+| ?\\d+| ?[^\\s\\w]+| ?_+|\\s+(?!\\S)|\\s+";

    static final int TH = 256;
    static final int THE = 257;
    static final int SPACE_THE = 258;
    static final int AA = 259;
    static final int ER = 260;
    static final int E_ACUTE = 261;    // é = c3 a9
    static final int EURO_HEAD = 262;  // e2 82, the first two bytes of € (e2 82 ac)
    static final int EMOJI_HEAD = 263; // f0 9f, the first half of 😀 (f0 9f 98 80)
    static final int EMOJI_TAIL = 264; // 98 80
    static final int IN = 265;
    static final int ING = 266;

    static final int BOS = 267;
    static final int EOS = 268;
    static final int SYSTEM = 269;
    static final int USER = 270;
    static final int ASSISTANT = 271;
    static final int END = 272;

    private TestTokenizers() {
    }

    static ObjectNode json() {
        List<byte[]> tokens = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            tokens.add(new byte[] {(byte) b});
        }
        ObjectNode root = JsonField.mapper().createObjectNode();
        root.put("type", "byte-level-bpe").put("version", 1).put("pattern", PATTERN);
        ArrayNode merges = root.putArray("merges");
        merge(tokens, merges, 't', 'h');
        merge(tokens, merges, TH, 'e');
        merge(tokens, merges, ' ', THE);
        merge(tokens, merges, 'a', 'a');
        merge(tokens, merges, 'e', 'r');
        merge(tokens, merges, 0xc3, 0xa9);
        merge(tokens, merges, 0xe2, 0x82);
        merge(tokens, merges, 0xf0, 0x9f);
        merge(tokens, merges, 0x98, 0x80);
        merge(tokens, merges, 'i', 'n');
        merge(tokens, merges, IN, 'g');
        ArrayNode hex = root.putArray("tokens");
        tokens.forEach(t -> hex.add(HexFormat.of().formatHex(t)));
        ObjectNode specials = root.putObject("special_tokens");
        specials.put("<|bos|>", BOS).put("<|eos|>", EOS).put("<|system|>", SYSTEM).put("<|user|>", USER)
                .put("<|assistant|>", ASSISTANT).put("<|end|>", END);
        ObjectNode template = root.putObject("chat_template");
        template.put("bos", "<|bos|>");
        template.putObject("roles").put("system", "<|system|>").put("user", "<|user|>")
                .put("assistant", "<|assistant|>");
        template.put("end", "<|end|>").put("generation_prompt", "<|assistant|>");
        template.putArray("stop").add("<|end|>").add("<|eos|>");
        return root;
    }

    static BpeTokenizer tokenizer() {
        return tokenizer(json(), BpeTokenizer.DEFAULT_CACHE_CAPACITY);
    }

    static BpeTokenizer tokenizer(ObjectNode json, int cacheCapacity) {
        return BpeTokenizer.parse(JsonField.mapper().writeValueAsBytes(json), cacheCapacity);
    }

    private static void merge(List<byte[]> tokens, ArrayNode merges, int left, int right) {
        byte[] a = tokens.get(left);
        byte[] b = tokens.get(right);
        byte[] joined = new byte[a.length + b.length];
        System.arraycopy(a, 0, joined, 0, a.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        tokens.add(joined);
        merges.addArray().add(left).add(right);
    }

    static int[] bytesOf(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = bytes[i] & 0xff;
        }
        return ids;
    }
}
