package dev.dragon.contracts.openai;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * The wire codec of the OpenAI API: a strict Jackson mapper (unknown fields, duplicate keys, trailing
 * content and type coercions such as {@code "0.5"} for a number or {@code 1.5} for an integer are errors) and
 * the translation of any parse failure into a {@link Violation} naming the field at fault. Thread-safe;
 * create one per application.
 */
public final class OpenAiJson {

    private final JsonMapper mapper;

    public OpenAiJson() {
        this.mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)   // checked in read(), to report it as a parse error
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .withCoercionConfig(LogicalType.Textual, c -> c
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Boolean, c -> c
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail))
                .build();
    }

    /** The configured mapper (for writing responses and reading them in clients). */
    public JsonMapper mapper() {
        return mapper;
    }

    /**
     * Parses a request body.
     *
     * @throws ViolationException naming the field at fault when the body is empty, not JSON, not an object of
     *                            {@code type}, has an unknown field or a value of the wrong type
     */
    public <T> T read(byte[] body, Class<T> type) {
        if (body == null || isBlank(body)) {
            throw new ViolationException(new Violation(null,
                    "The request body is empty; expected a JSON object.", null));
        }
        requireStrictUtf8(body);
        // The parser stays open until the failure is described: its current token says what was sent.
        JsonParser parser = mapper.createParser(body);
        try {
            T value = mapper.readValue(parser, type);
            if (value == null) {
                throw new ViolationException(new Violation(null, "Expected a JSON object, but got null instead.",
                        "invalid_type"));
            }
            if (parser.nextToken() != null) {
                throw new ViolationException(new Violation(null, "We could not parse the JSON body of your request: "
                        + "unexpected content after the JSON object.", null));
            }
            return value;
        } catch (JacksonException e) {
            throw new ViolationException(describe(e), e);
        } finally {
            parser.close();
        }
    }

    /**
     * Refuses bytes that are not well-formed UTF-8, overlong forms included: Jackson's reader decodes an
     * overlong {@code C0 AF} as {@code /}, the classic way to smuggle a character past byte-level filters.
     */
    private static void requireStrictUtf8(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer scratch = CharBuffer.allocate(1024);       // validates only: the characters are thrown away
        CoderResult result;
        do {
            scratch.clear();
            result = decoder.decode(in, scratch, true);
        } while (result.isOverflow());
        if (result.isError()) {
            throw new ViolationException(new Violation(null, "We could not parse the JSON body of your request: "
                    + "it is not valid UTF-8 (byte offset " + in.position() + ").", null));
        }
    }

    public byte[] write(Object value) {
        return mapper.writeValueAsBytes(value);
    }

    public String writeString(Object value) {
        return mapper.writeValueAsString(value);
    }

    /** Describes a parse failure of a request body as the OpenAI API would. */
    public static Violation describe(JacksonException e) {
        String path = path(e.getPath());
        if (e instanceof UnrecognizedPropertyException) {
            return new Violation(path, "Unrecognized request argument supplied: " + path, "unknown_parameter");
        }
        if (e instanceof MismatchedInputException m && !(e instanceof StreamReadException) && m.getTargetType() != null) {
            String expected = expected(m.getTargetType());
            String got = got(e);
            if (path == null) {
                return new Violation(null, "Invalid request body: expected " + expected + ", but got " + got
                        + " instead.", "invalid_type");
            }
            return new Violation(path, "Invalid type for '" + path + "': expected " + expected + ", but got " + got
                    + " instead.", "invalid_type");
        }
        // Not JSON (or cut short): no field is at fault, whatever value the parser was in.
        return new Violation(e instanceof StreamReadException ? null : path,
                "We could not parse the JSON body of your request: " + e.getOriginalMessage(), null);
    }

    private static String path(List<JacksonException.Reference> refs) {
        if (refs == null || refs.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference r : refs) {
            if (r.getPropertyName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    private static String expected(Class<?> type) {
        if (type == Double.class || type == Float.class || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return Map.class.isAssignableFrom(type) || type.isRecord() ? "an object" : "a " + type.getSimpleName();
    }

    private static String got(JacksonException e) {
        JsonToken token = e.processor() instanceof JsonParser p ? p.currentToken() : null;
        if (token == null) {
            return "an invalid value";
        }
        return switch (token) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a decimal";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_ARRAY, END_ARRAY -> "an array";
            case START_OBJECT, END_OBJECT, PROPERTY_NAME -> "an object";
            default -> "an invalid value";
        };
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }
}
