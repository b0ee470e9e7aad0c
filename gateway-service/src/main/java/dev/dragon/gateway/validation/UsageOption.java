package dev.dragon.gateway.validation;

import dev.dragon.gateway.ratelimit.DataBuffers;
import java.nio.charset.StandardCharsets;

/**
 * Adds {@code "stream_options":{"include_usage":true}} to a validated JSON object without re-serialising it:
 * the member is spliced in before the object's closing brace, so every byte the client sent reaches the router
 * unchanged around it. Only done when the body cannot already hold a {@code stream_options} member, because
 * the router's codec refuses duplicate keys: the key's bytes appear nowhere, and there is no backslash-u escape
 * that could spell it another way (no other JSON escape makes a letter).
 */
final class UsageOption {

    private static final byte[] MEMBER = "\"stream_options\":{\"include_usage\":true}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEY = "stream_options".getBytes(StandardCharsets.US_ASCII);
    /** The only JSON escape that can spell a letter or {@code _}. */
    private static final byte[] UNICODE_ESCAPE = {'\\', 'u'};

    private UsageOption() {
    }

    /** {@code body} (a validated JSON object) with the member added, or null when it cannot be spliced safely. */
    static byte[] splice(byte[] body) {
        if (DataBuffers.indexOf(body, KEY) >= 0 || DataBuffers.indexOf(body, UNICODE_ESCAPE) >= 0) {
            return null;
        }
        int close = lastNonWhitespace(body, body.length);
        if (close < 0 || body[close] != '}') {
            return null;
        }
        int before = lastNonWhitespace(body, close);
        boolean empty = before >= 0 && body[before] == '{';
        byte[] out = new byte[body.length + MEMBER.length + (empty ? 0 : 1)];
        System.arraycopy(body, 0, out, 0, close);
        int at = close;
        if (!empty) {
            out[at++] = ',';
        }
        System.arraycopy(MEMBER, 0, out, at, MEMBER.length);
        System.arraycopy(body, close, out, at + MEMBER.length, body.length - close);
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
