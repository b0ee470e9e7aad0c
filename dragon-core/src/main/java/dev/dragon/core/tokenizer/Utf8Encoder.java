package dev.dragon.core.tokenizer;

/** UTF-8 encoding of a string region; an unpaired surrogate is encoded as U+FFFD. */
final class Utf8Encoder {

    private Utf8Encoder() {
    }

    /** UTF-8 bytes of {@code text[start, end)}, each as an int in [0, 255]. */
    static int[] encode(CharSequence text, int start, int end) {
        int[] out = new int[3 * (end - start)];
        int n = 0;
        int i = start;
        while (i < end) {
            char c = text.charAt(i);
            int cp = c;
            int width = 1;
            if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1))) {
                cp = Character.toCodePoint(c, text.charAt(i + 1));
                width = 2;
            } else if (Character.isSurrogate(c)) {
                cp = Utf8Decoder.REPLACEMENT;
            }
            i += width;
            if (cp < 0x80) {
                out[n++] = cp;
            } else if (cp < 0x800) {
                out[n++] = 0xC0 | (cp >> 6);
                out[n++] = 0x80 | (cp & 0x3F);
            } else if (cp < 0x10000) {
                out[n++] = 0xE0 | (cp >> 12);
                out[n++] = 0x80 | ((cp >> 6) & 0x3F);
                out[n++] = 0x80 | (cp & 0x3F);
            } else {
                out[n++] = 0xF0 | (cp >> 18);
                out[n++] = 0x80 | ((cp >> 12) & 0x3F);
                out[n++] = 0x80 | ((cp >> 6) & 0x3F);
                out[n++] = 0x80 | (cp & 0x3F);
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
