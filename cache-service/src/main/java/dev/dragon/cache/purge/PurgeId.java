package dev.dragon.cache.purge;

import dev.dragon.cache.error.InvalidCacheRequestException;
import java.util.regex.Pattern;

/**
 * The id of a purge-log entry: a Redis stream entry id {@code <millis>-<sequence>} (both unsigned 64-bit),
 * ordered as Redis orders them. {@link #ZERO} ({@code 0-0}) precedes every entry.
 */
public record PurgeId(long millis, long sequence) implements Comparable<PurgeId> {

    public static final PurgeId ZERO = new PurgeId(0, 0);

    private static final Pattern FORMAT = Pattern.compile("[0-9]{1,20}-[0-9]{1,20}");

    /** Parses a watch's {@code field}; a malformed id is an {@link InvalidCacheRequestException} naming it. */
    public static PurgeId parse(String field, String text) {
        if (text != null && FORMAT.matcher(text).matches()) {
            int dash = text.indexOf('-');
            try {
                return new PurgeId(Long.parseUnsignedLong(text.substring(0, dash)),
                        Long.parseUnsignedLong(text.substring(dash + 1)));
            } catch (NumberFormatException e) {
                // over 64 bits: reported below
            }
        }
        String shown = text == null ? "nothing" : text.length() > 45 ? text.substring(0, 45) + "..." : text;
        throw new InvalidCacheRequestException(field, "must be a purge id \"<millis>-<sequence>\" as sent in a "
                + "PurgeNotice, got \"" + shown.replaceAll("[^\\x20-\\x7e]", "?") + "\"");
    }

    @Override
    public int compareTo(PurgeId other) {
        int byMillis = Long.compareUnsigned(millis, other.millis);
        return byMillis != 0 ? byMillis : Long.compareUnsigned(sequence, other.sequence);
    }

    public boolean isAfter(PurgeId other) {
        return compareTo(other) > 0;
    }

    /** The larger of the two. */
    public static PurgeId max(PurgeId a, PurgeId b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** As Redis and the contract spell it. */
    @Override
    public String toString() {
        return Long.toUnsignedString(millis) + "-" + Long.toUnsignedString(sequence);
    }
}
