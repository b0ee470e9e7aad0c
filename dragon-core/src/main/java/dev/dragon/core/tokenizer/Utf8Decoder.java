package dev.dragon.core.tokenizer;

/**
 * Incremental UTF-8 decoder (the WHATWG algorithm). A byte becomes U+FFFD only once it is definitely
 * invalid: an incomplete but still valid prefix of a multi-byte sequence is held until more bytes
 * arrive or {@link #finish} is called. Each maximal invalid subpart yields exactly one U+FFFD, so
 * feeding bytes in any split gives the same text as feeding them at once.
 */
final class Utf8Decoder {

    static final char REPLACEMENT = '\uFFFD';

    private int codePoint;
    private int needed;
    private int seen;
    private int lower = 0x80;
    private int upper = 0xBF;

    /** Decodes {@code length} bytes from {@code offset}, appending complete characters to {@code out}. */
    void decode(byte[] bytes, int offset, int length, StringBuilder out) {
        for (int i = offset; i < offset + length; i++) {
            accept(bytes[i] & 0xff, out);
        }
    }

    /** Ends the input: a held incomplete sequence becomes one U+FFFD. */
    void finish(StringBuilder out) {
        if (needed != 0) {
            reset();
            out.append(REPLACEMENT);
        }
    }

    /** Whether an incomplete multi-byte sequence is being held. */
    boolean hasPending() {
        return needed != 0;
    }

    private void accept(int b, StringBuilder out) {
        if (needed == 0) {
            start(b, out);
            return;
        }
        if (b < lower || b > upper) {
            // the held prefix is definitely invalid; the current byte starts afresh
            reset();
            out.append(REPLACEMENT);
            start(b, out);
            return;
        }
        lower = 0x80;
        upper = 0xBF;
        codePoint = (codePoint << 6) | (b & 0x3F);
        if (++seen == needed) {
            out.appendCodePoint(codePoint);
            reset();
        }
    }

    private void start(int b, StringBuilder out) {
        if (b <= 0x7F) {
            out.append((char) b);
        } else if (b >= 0xC2 && b <= 0xDF) {
            begin(1, b & 0x1F);
        } else if (b >= 0xE0 && b <= 0xEF) {
            if (b == 0xE0) {
                lower = 0xA0; // no overlong 3-byte forms
            } else if (b == 0xED) {
                upper = 0x9F; // no surrogates
            }
            begin(2, b & 0x0F);
        } else if (b >= 0xF0 && b <= 0xF4) {
            if (b == 0xF0) {
                lower = 0x90; // no overlong 4-byte forms
            } else if (b == 0xF4) {
                upper = 0x8F; // nothing above U+10FFFF
            }
            begin(3, b & 0x07);
        } else {
            out.append(REPLACEMENT);
        }
    }

    private void begin(int continuationBytes, int bits) {
        needed = continuationBytes;
        seen = 0;
        codePoint = bits;
    }

    private void reset() {
        needed = 0;
        seen = 0;
        codePoint = 0;
        lower = 0x80;
        upper = 0xBF;
    }
}
