package dev.dragon.cache.keys;

import dev.dragon.cache.error.InvalidCacheRequestException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Validation of every value that becomes part of a Redis key. The allowed characters exclude the key
 * separator {@code :} and every glob metacharacter, so one tenant's keys can never spell another
 * tenant's, and a tenant's SCAN pattern matches exactly its own keys.
 */
public final class Names {

    /** Bytes of a request key or prefix hash (SHA-256). */
    public static final int HASH_BYTES = 32;

    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@+-]{1,128}");
    private static final HexFormat HEX = HexFormat.of();

    private Names() {
    }

    public static String tenant(String value) {
        if (value == null || !TENANT.matcher(value).matches()) {
            throw new InvalidCacheRequestException("tenant",
                    "must be 1 to 64 characters of [A-Za-z0-9._-], got " + quoted(value));
        }
        return value;
    }

    /** A model, adapter or gating version: 1 to 128 characters of {@code [A-Za-z0-9._@+-]}. */
    public static String name(String field, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new InvalidCacheRequestException(field,
                    "must be 1 to 128 characters of [A-Za-z0-9._@+-], got " + quoted(value));
        }
        return value;
    }

    /** Lower-case hex of a 32-byte hash. */
    public static String hash(String field, byte[] value) {
        if (value == null || value.length != HASH_BYTES) {
            throw new InvalidCacheRequestException(field, "must be a " + HASH_BYTES + "-byte SHA-256, got "
                    + (value == null ? 0 : value.length) + " bytes");
        }
        return HEX.formatHex(value);
    }

    public static byte[] unhex(String hex) {
        return HEX.parseHex(hex);
    }

    private static String quoted(String value) {
        if (value == null) {
            return "nothing";
        }
        String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        return "\"" + shown.replaceAll("[^\\x20-\\x7e]", "?") + "\"";
    }
}
