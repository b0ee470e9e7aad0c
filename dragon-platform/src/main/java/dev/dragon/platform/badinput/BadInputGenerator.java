package dev.dragon.platform.badinput;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import tools.jackson.databind.json.JsonMapper;

/**
 * A seeded stream of malformed requests against the gateway's public API: the same seed gives the same requests.
 * Every request is wrong in exactly the way its category says; everything else about it is valid, so a refusal
 * must come from that fault.
 */
public final class BadInputGenerator {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String CHAT = "/v1/chat/completions";
    static final String COMPLETIONS = "/v1/completions";
    static final String FEEDBACK = "/v1/feedback";
    /** Just above the gateway's default {@code limits.max-body-size} (1 MB). */
    static final int OVERSIZED = 1024 * 1024 + 1;

    private final Random random;
    private final Map<String, Function<Random, BadRequest>> categories = new LinkedHashMap<>();
    private final List<String> weighted = new ArrayList<>();

    public BadInputGenerator(long seed) {
        this.random = new Random(seed);
        add("invalid_json", 10, this::invalidJson);
        add("wrong_type", 12, this::wrongType);
        add("bad_number", 12, this::badNumber);
        add("empty", 8, this::empty);
        add("invalid_utf8", 8, this::invalidUtf8);
        add("unknown_model", 6, r -> chat(base(r, "model", "gpt-" + r.nextInt(1000))));
        add("unknown_field", 8, r -> chat(base(r, "x_" + Integer.toHexString(r.nextInt()), r.nextInt())));
        add("too_many_stops", 6, this::tooManyStops);
        add("oversized", 2, this::oversized);
        add("auth", 6, this::auth);
        add("protocol", 6, this::protocol);
        add("completions", 8, this::completions);
        add("feedback", 8, this::feedback);
    }

    private void add(String name, int weight, Function<Random, BadRequest> make) {
        categories.put(name, make);
        for (int i = 0; i < weight; i++) {
            weighted.add(name);
        }
    }

    /** Every category a request can have: the drawn ones and the finer ones some draws are given. */
    public List<String> categories() {
        List<String> all = new ArrayList<>(categories.keySet());
        all.addAll(List.of(OVERLONG_UTF8, CONTENT_TYPE));
        return all;
    }

    /** An overlong UTF-8 encoding ({@code C0 AF} for '/'): invalid UTF-8 that lenient decoders accept. */
    static final String OVERLONG_UTF8 = "overlong_utf8";
    /** A JSON body sent as {@code text/plain}. */
    static final String CONTENT_TYPE = "content_type";

    /** The next request. */
    public BadRequest next() {
        String category = weighted.get(random.nextInt(weighted.size()));
        BadRequest r = categories.get(category).apply(random);
        return new BadRequest(r.category().isEmpty() ? category : r.category(), r.method(), r.path(), r.contentType(), r.body(), r.apiKey());
    }

    // --- valid bodies, then one thing wrong ----------------------------------------------------------------

    /** A valid chat body with {@code field} set to {@code value} (or removed when value is {@link #REMOVE}). */
    static Map<String, Object> base(Random r, String field, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", "dragon-moe-mini");
        m.put("messages", List.of(Map.of("role", "user", "content", "hello " + r.nextInt(100))));
        m.put("max_tokens", 1 + r.nextInt(8));
        if (value == REMOVE) {
            m.remove(field);
        } else {
            m.put(field, value);
        }
        return m;
    }

    static final Object REMOVE = new Object();

    static BadRequest chat(Object body) {
        return json(CHAT, body);
    }

    static BadRequest json(String path, Object body) {
        return new BadRequest("", "POST", path, "application/json", JSON.writeValueAsBytes(body), true);
    }

    static BadRequest raw(String path, byte[] body) {
        return new BadRequest("", "POST", path, "application/json", body, true);
    }

    private BadRequest invalidJson(Random r) {
        byte[] valid = JSON.writeValueAsBytes(base(r, "temperature", 0.5));
        return switch (r.nextInt(5)) {
            case 0 -> raw(CHAT, java.util.Arrays.copyOf(valid, 1 + r.nextInt(valid.length - 1)));   // truncated
            case 1 -> raw(CHAT, ascii(r, 1 + r.nextInt(64)));                                       // garbage
            case 2 -> raw(CHAT, "{\"model\":\"dragon-moe-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"},],}"
                    .getBytes(StandardCharsets.UTF_8));                                             // trailing commas
            case 3 -> raw(CHAT, "{'model':'dragon-moe-mini','messages':[]}".getBytes(StandardCharsets.UTF_8));
            default -> raw(CHAT, "{\"model\":\"dragon-moe-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"}],"
                    .concat("\"temperature\":NaN}").getBytes(StandardCharsets.UTF_8));
        };
    }

    private BadRequest wrongType(Random r) {
        Object[][] cases = {
                {"model", 5}, {"model", List.of("dragon-moe-mini")}, {"model", Map.of()}, {"model", true},
                {"messages", "hello"}, {"messages", 3}, {"messages", Map.of("role", "user")},
                {"messages", List.of("hello")}, {"messages", List.of(7)},
                {"messages", List.of(Map.of("role", 1, "content", "a"))},
                {"messages", List.of(Map.of("role", "user", "content", 42))},
                {"messages", List.of(Map.of("role", "user", "content", true))},
                {"max_tokens", "ten"}, {"max_tokens", 1.5}, {"max_tokens", true}, {"max_tokens", List.of(1)},
                {"temperature", "hot"}, {"temperature", Map.of()}, {"top_p", List.of()}, {"stream", "yes"},
                {"stream", 1}, {"stop", 5}, {"stop", Map.of("a", "b")}, {"n", "1"}, {"seed", "x"},
                {"logprobs", "yes"}, {"top_logprobs", "5"}, {"stream_options", "usage"}, {"dragon", 3}};
        Object[] c = cases[r.nextInt(cases.length)];
        return chat(base(r, (String) c[0], c[1]));
    }

    private BadRequest badNumber(Random r) {
        Object[][] cases = {
                {"max_tokens", -1}, {"max_tokens", 0}, {"max_tokens", Integer.MIN_VALUE}, {"max_tokens", 1025 + r.nextInt(1 << 20)},
                {"max_tokens", Long.MAX_VALUE}, {"max_tokens", new java.math.BigInteger("99999999999999999999999999")},
                {"max_tokens", 1e20}, {"temperature", -0.1 - r.nextDouble()}, {"temperature", 2.01 + r.nextInt(1000)},
                {"temperature", 1e308}, {"temperature", -1e308}, {"top_p", 0.0}, {"top_p", -r.nextDouble()},
                {"top_p", 1.01 + r.nextDouble()}, {"n", 0}, {"n", 2 + r.nextInt(100)}, {"n", -1},
                {"max_completion_tokens", -5}, {"max_completion_tokens", 1 << 30}};
        Object[] c = cases[r.nextInt(cases.length)];
        if (r.nextInt(6) == 0) {                            // a logprobs range case
            Map<String, Object> m = base(r, "logprobs", true);
            m.put("top_logprobs", r.nextBoolean() ? 21 + r.nextInt(100) : -1 - r.nextInt(5));
            return chat(m);
        }
        return chat(base(r, (String) c[0], c[1]));
    }

    private BadRequest empty(Random r) {
        return switch (r.nextInt(9)) {
            case 0 -> chat(base(r, "messages", List.of()));
            case 1 -> chat(base(r, "messages", List.of(Map.of())));
            case 2 -> chat(base(r, "messages", List.of(Map.of("content", "no role"))));
            case 3 -> chat(base(r, "messages", List.of(Map.of("role", "user"))));
            case 4 -> chat(base(r, "model", ""));
            case 5 -> chat(base(r, "messages", REMOVE));
            case 6 -> raw(CHAT, new byte[0]);
            case 7 -> raw(CHAT, "null".getBytes(StandardCharsets.UTF_8));
            default -> raw(CHAT, (r.nextBoolean() ? "{}" : "[]").getBytes(StandardCharsets.UTF_8));
        };
    }

    private BadRequest invalidUtf8(Random r) {
        byte[][] bad = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}};
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("{\"model\":\"dragon-moe-mini\",\"max_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":\"ab"
                .getBytes(StandardCharsets.UTF_8));
        int pattern = r.nextInt(bad.length);
        b.writeBytes(bad[pattern]);
        b.writeBytes("cd\"}]}".getBytes(StandardCharsets.UTF_8));
        boolean prompt = r.nextInt(4) == 0;
        return new BadRequest(pattern == 3 ? OVERLONG_UTF8 : "", "POST", prompt ? COMPLETIONS : CHAT, "application/json",
                prompt ? swapIntoPrompt(b.toByteArray()) : b.toByteArray(), true);
    }

    /** The same invalid bytes in a completions prompt. */
    private static byte[] swapIntoPrompt(byte[] chatBody) {
        String s = new String(chatBody, StandardCharsets.ISO_8859_1)
                .replace("\"messages\":[{\"role\":\"user\",\"content\":", "\"prompt\":").replace("}]}", "}");
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private BadRequest tooManyStops(Random r) {
        List<String> stops = new ArrayList<>();
        if (r.nextInt(4) == 0) {
            stops.add("");                                  // an empty stop string
        } else {
            for (int i = 0, n = 5 + r.nextInt(60); i < n; i++) {
                stops.add("s" + i);
            }
        }
        return chat(base(r, "stop", stops));
    }

    private BadRequest oversized(Random r) {
        int size = OVERSIZED + r.nextInt(64 * 1024);
        StringBuilder b = new StringBuilder(size + 128).append("{\"model\":\"dragon-moe-mini\",\"max_tokens\":4,");
        if (r.nextBoolean()) {                              // one overlong message
            b.append("\"messages\":[{\"role\":\"user\",\"content\":\"").append("a".repeat(size)).append("\"}]}");
        } else {                                            // too many short messages
            b.append("\"messages\":[");
            for (int i = 0; b.length() < size; i++) {
                b.append(i == 0 ? "" : ",").append("{\"role\":\"user\",\"content\":\"m").append(i).append("\"}");
            }
            b.append("]}");
        }
        return raw(CHAT, b.toString().getBytes(StandardCharsets.UTF_8));
    }

    private BadRequest auth(Random r) {
        byte[] body = JSON.writeValueAsBytes(base(r, "max_tokens", 4));
        return new BadRequest("", "POST", CHAT, "application/json", body, false);
    }

    private BadRequest protocol(Random r) {
        byte[] body = JSON.writeValueAsBytes(base(r, "max_tokens", 4));
        return switch (r.nextInt(4)) {
            case 0 -> new BadRequest(CONTENT_TYPE, "POST", CHAT, "text/plain", body, true);
            case 1 -> new BadRequest("", "GET", CHAT, null, new byte[0], true);
            case 2 -> new BadRequest("", "POST", "/v1/" + Integer.toHexString(r.nextInt()), "application/json", body, true);
            default -> new BadRequest("", "PUT", CHAT, "application/json", body, true);
        };
    }

    private BadRequest completions(Random r) {
        Object[] prompts = {5, Map.of("text", "a"), true, List.of(1.5), REMOVE};
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", "dragon-moe-mini");
        m.put("max_tokens", 4);
        Object p = prompts[r.nextInt(prompts.length)];
        if (p != REMOVE) {
            m.put("prompt", p);
        }
        if (r.nextInt(3) == 0) {
            m.put("prompt", "hi");
            m.put("logprobs", 6 + r.nextInt(50));
        }
        return json(COMPLETIONS, m);
    }

    private BadRequest feedback(Random r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("response_id", "chatcmpl-" + Long.toHexString(r.nextLong()));
        m.put("rating", 1);
        switch (r.nextInt(6)) {
            case 0 -> m.put("rating", 2 + r.nextInt(100));
            case 1 -> m.put("rating", "good");
            case 2 -> m.remove("response_id");
            case 3 -> m.put("response_id", "has spaces " + r.nextInt());
            case 4 -> m.put("corrected_completion", "");
            default -> m.remove("rating");
        }
        return json(FEEDBACK, m);
    }

    private static byte[] ascii(Random r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (33 + r.nextInt(94));
        }
        if (b[0] == '{' || b[0] == '[' || b[0] == '"' || Character.isDigit(b[0]) || b[0] == '-') {
            b[0] = '#';                                     // never a valid JSON start
        }
        return b;
    }
}
