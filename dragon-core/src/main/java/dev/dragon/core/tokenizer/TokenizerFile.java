package dev.dragon.core.tokenizer;

import dev.dragon.core.json.JsonField;
import dev.dragon.core.json.JsonFieldException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads and cross-checks {@code tokenizer.json}. */
final class TokenizerFile {

    static final String TYPE = "byte-level-bpe";
    static final String EOS = "<|eos|>";

    private TokenizerFile() {
    }

    static BpeTokenizer parse(byte[] json, int cacheCapacity) {
        try {
            return read(JsonField.parse(json), cacheCapacity);
        } catch (JsonFieldException e) {
            throw new TokenizerException(e.getMessage(), e);
        }
    }

    private static BpeTokenizer read(JsonField root, int cacheCapacity) {
        JsonField type = root.get("type");
        if (!type.string().equals(TYPE)) {
            throw type.fail("unsupported tokenizer type '" + type.string() + "' (expected '" + TYPE + "')");
        }
        JsonField version = root.get("version");
        if (version.intValue() != 1) {
            throw version.fail("unsupported version " + version.intValue() + " (expected 1)");
        }
        Pattern pattern = pattern(root.get("pattern"));
        byte[][] tokens = tokens(root.get("tokens"));
        int[][] merges = merges(root.get("merges"), tokens);
        Map<String, Integer> specials = specialTokens(root.get("special_tokens"), tokens.length);
        ChatTemplate.Spec template = template(root.get("chat_template"), specials);
        return new BpeTokenizer(pattern, tokens, merges, specials, template, cacheCapacity);
    }

    private static Pattern pattern(JsonField field) {
        try {
            return PythonRegex.compile(field.nonEmptyString());
        } catch (PatternSyntaxException e) {
            throw field.fail("not a valid regular expression: " + e.getDescription());
        }
    }

    private static byte[][] tokens(JsonField field) {
        List<JsonField> items = field.elements();
        if (items.size() < 256) {
            throw field.fail("expected at least the 256 byte tokens, got " + items.size());
        }
        byte[][] tokens = new byte[items.size()][];
        for (int id = 0; id < tokens.length; id++) {
            JsonField item = items.get(id);
            String hex = item.nonEmptyString();
            try {
                tokens[id] = HexFormat.of().parseHex(hex);
            } catch (IllegalArgumentException e) {
                throw item.fail("not an even-length hex string: '" + hex + "'");
            }
            if (id < 256 && (tokens[id].length != 1 || (tokens[id][0] & 0xff) != id)) {
                throw item.fail("byte token " + id + " must be '" + String.format("%02x", id) + "', got '" + hex + "'");
            }
        }
        return tokens;
    }

    private static int[][] merges(JsonField field, byte[][] tokens) {
        List<JsonField> items = field.elements();
        if (256 + items.size() != tokens.length) {
            throw field.fail(items.size() + " merges need " + (256 + items.size()) + " tokens, tokens has "
                    + tokens.length);
        }
        int[][] merges = new int[items.size()][];
        for (int rank = 0; rank < merges.length; rank++) {
            JsonField item = items.get(rank);
            int[] pair = item.intArray();
            if (pair.length != 2) {
                throw item.fail("expected a pair of ids, got " + pair.length + " entries");
            }
            int produced = 256 + rank;
            for (int id : pair) {
                if (id < 0 || id >= produced) {
                    throw item.fail("id " + id + " must be an earlier token, in [0, " + produced + ")");
                }
            }
            byte[] joined = concat(tokens[pair[0]], tokens[pair[1]]);
            if (!Arrays.equals(joined, tokens[produced])) {
                throw item.fail("merge " + rank + " joins to " + HexFormat.of().formatHex(joined)
                        + " but token " + produced + " is " + HexFormat.of().formatHex(tokens[produced]));
            }
            merges[rank] = pair;
        }
        return merges;
    }

    private static Map<String, Integer> specialTokens(JsonField field, int regularTokens) {
        Map<String, Integer> specials = new LinkedHashMap<>();
        Map<Integer, String> byId = new LinkedHashMap<>();
        for (Map.Entry<String, JsonField> e : field.members().entrySet()) {
            int id = e.getValue().intAtLeast(regularTokens);
            String previous = byId.put(id, e.getKey());
            if (previous != null) {
                throw e.getValue().fail("id " + id + " is also used by '" + previous + "'");
            }
            specials.put(e.getKey(), id);
        }
        if (!specials.containsKey(EOS)) {
            throw field.fail("must define '" + EOS + "' (the completion stop token)");
        }
        return specials;
    }

    private static ChatTemplate.Spec template(JsonField t, Map<String, Integer> specials) {
        Map<String, String> roles = new LinkedHashMap<>();
        t.get("roles").members().forEach((role, token) -> roles.put(role, special(token, specials)));
        if (roles.isEmpty()) {
            throw t.get("roles").fail("must define at least one role");
        }
        List<String> stop = t.get("stop").elements().stream().map(s -> special(s, specials)).toList();
        if (stop.isEmpty()) {
            throw t.get("stop").fail("must name at least one stop token");
        }
        return new ChatTemplate.Spec(special(t.get("bos"), specials), roles, special(t.get("end"), specials),
                special(t.get("generation_prompt"), specials), stop, EOS);
    }

    private static String special(JsonField field, Map<String, Integer> specials) {
        String name = field.nonEmptyString();
        if (!specials.containsKey(name)) {
            throw field.fail("'" + name + "' is not a special token");
        }
        return name;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
