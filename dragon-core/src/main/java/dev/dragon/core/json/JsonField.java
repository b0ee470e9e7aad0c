package dev.dragon.core.json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A JSON node together with its path from the document root, so that every type or presence check
 * can name the offending field ({@code architecture.d_model}, {@code merges[12][1]}).
 */
public record JsonField(String path, JsonNode node) {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Parses a UTF-8 JSON document; syntax errors become a {@link JsonFieldException} at the root path. */
    public static JsonField parse(byte[] json) {
        try {
            JsonNode root = MAPPER.readTree(json);
            if (root == null || root.isMissingNode()) {
                throw new JsonFieldException("", "empty document");
            }
            return new JsonField("", root);
        } catch (JacksonException e) {
            throw new JsonFieldException("", "not valid JSON: " + e.getOriginalMessage());
        }
    }

    public static JsonField parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The shared, immutable mapper (for writers that build JSON). */
    public static JsonMapper mapper() {
        return MAPPER;
    }

    /** Required member of this object. */
    public JsonField get(String name) {
        requireObject();
        JsonNode child = node.get(name);
        if (child == null || child.isNull()) {
            throw new JsonFieldException(child(name), "missing");
        }
        return new JsonField(child(name), child);
    }

    /** True when this object has a non-null member {@code name}. */
    public boolean has(String name) {
        requireObject();
        return node.hasNonNull(name);
    }

    public String string() {
        if (!node.isString()) {
            throw fail("expected a string, got " + describe());
        }
        return node.stringValue();
    }

    /** A non-empty string. */
    public String nonEmptyString() {
        String value = string();
        if (value.isEmpty()) {
            throw fail("must not be empty");
        }
        return value;
    }

    public int intValue() {
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw fail("expected a 32-bit integer, got " + describe());
        }
        return node.intValue();
    }

    /** An integer {@code >= min}. */
    public int intAtLeast(int min) {
        int value = intValue();
        if (value < min) {
            throw fail("must be >= " + min + ", got " + value);
        }
        return value;
    }

    public long longValue() {
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw fail("expected a 64-bit integer, got " + describe());
        }
        return node.longValue();
    }

    public double doubleValue() {
        if (!node.isNumber()) {
            throw fail("expected a number, got " + describe());
        }
        return node.doubleValue();
    }

    public boolean booleanValue() {
        if (!node.isBoolean()) {
            throw fail("expected true or false, got " + describe());
        }
        return node.booleanValue();
    }

    /** Elements of a required array, each carrying its indexed path. */
    public List<JsonField> elements() {
        if (!node.isArray()) {
            throw fail("expected an array, got " + describe());
        }
        List<JsonField> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            out.add(new JsonField(path + "[" + i + "]", node.get(i)));
        }
        return out;
    }

    /** Elements of an array that must have exactly {@code size} entries. */
    public List<JsonField> elements(int size) {
        List<JsonField> out = elements();
        if (out.size() != size) {
            throw fail("expected " + size + " entries, got " + out.size());
        }
        return out;
    }

    /** Members of an object in document order. */
    public Map<String, JsonField> members() {
        requireObject();
        Map<String, JsonField> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            out.put(e.getKey(), new JsonField(child(e.getKey()), e.getValue()));
        }
        return out;
    }

    public int[] intArray() {
        List<JsonField> items = elements();
        int[] out = new int[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = items.get(i).intValue();
        }
        return out;
    }

    public float[] floatArray() {
        List<JsonField> items = elements();
        float[] out = new float[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) items.get(i).doubleValue();
        }
        return out;
    }

    public List<String> stringList() {
        return elements().stream().map(JsonField::string).toList();
    }

    /** An exception about this field. */
    public JsonFieldException fail(String problem) {
        return new JsonFieldException(path, problem);
    }

    private void requireObject() {
        if (!node.isObject()) {
            throw fail("expected an object, got " + describe());
        }
    }

    private String child(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private String describe() {
        String text = node.toString();
        String kind = node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        return kind + " " + (text.length() > 40 ? text.substring(0, 40) + "…" : text);
    }
}
