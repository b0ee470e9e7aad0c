package dev.dragon.gateway.validation;

import dev.dragon.gateway.ratelimit.DataBuffers;
import java.nio.charset.StandardCharsets;

/**
 * Adds a member to a validated JSON object without re-serialising it: {@code "stream_options":{"include_usage":
 * true}} for a stream whose usage must be counted, {@code "max_tokens":N} for a request without one whose plan
 * caps it below the router's default. The member is spliced in before the object's closing brace, so every byte
 * the client sent reaches the router unchanged around it. Only done when the body cannot already hold a member
 * of that name, because the router's codec refuses duplicate keys: the key's bytes appear nowhere, and there is
 * no backslash-u escape that could spell it another way (no other JSON escape makes a letter).
 */
final class UsageOption {

    private static final byte[] MEMBER = "\"stream_options\":{\"include_usage\":true}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEY = "stream_options".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAX_TOKENS_KEY = "max_tokens".getBytes(StandardCharsets.US_ASCII);
    /** The only JSON escape that can spell a letter or {@code _}. */
    private static final byte[] UNICODE_ESCAPE = {'\\', 'u'};

    private UsageOption() {
    }

    /** {@code body} (a validated JSON object) with the usage option added, or null when that is not safe. */
    static byte[] splice(byte[] body) {
        return splice(body, KEY, MEMBER);
    }

    /** {@code body} with {@code "max_tokens":maxTokens} added, or null when that is not safe. */
    static byte[] spliceMaxTokens(byte[] body, long maxTokens) {
        return splice(body, MAX_TOKENS_KEY,
                ("\"max_tokens\":" + maxTokens).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] splice(byte[] body, byte[] key, byte[] member) {
        if (DataBuffers.indexOf(body, key) >= 0 || DataBuffers.indexOf(body, UNICODE_ESCAPE) >= 0) {
            return null;
        }
        int close = lastNonWhitespace(body, body.length);
        if (close < 0 || body[close] != '}') {
            return null;
        }
        int before = lastNonWhitespace(body, close);
        boolean empty = before >= 0 && body[before] == '{';
        byte[] out = new byte[body.length + member.length + (empty ? 0 : 1)];
        System.arraycopy(body, 0, out, 0, close);
        int at = close;
        if (!empty) {
            out[at++] = ',';
        }
        System.arraycopy(member, 0, out, at, member.length);
        System.arraycopy(body, close, out, at + member.length, body.length - close);
        return out;
    }

    private static int lastNonWhitespace(byte[] b, int end) {
        int i = end - 1;
        while (i >= 0 && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i--;
        }
        return i;
    }
}
