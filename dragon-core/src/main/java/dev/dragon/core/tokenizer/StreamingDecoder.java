package dev.dragon.core.tokenizer;

/**
 * Decodes one generated sequence token by token. {@link #push} returns the text that became complete
 * with that token; bytes of a multi-byte character split across tokens are held back until the
 * character is complete (or definitely invalid, which yields U+FFFD). Not thread-safe: one per sequence.
 */
public final class StreamingDecoder {

    private final BpeTokenizer tokenizer;
    private final Utf8Decoder utf8 = new Utf8Decoder();
    private final StringBuilder out = new StringBuilder();

    StreamingDecoder(BpeTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Text completed by {@code id} (possibly empty); special tokens add no text. */
    public String push(int id) {
        byte[] bytes = tokenizer.tokenBytesShared(id);
        utf8.decode(bytes, 0, bytes.length, out);
        return drain();
    }

    /** Ends the sequence: an incomplete held character becomes U+FFFD. */
    public String finish() {
        utf8.finish(out);
        return drain();
    }

    /** Whether bytes of an incomplete character are being held back. */
    public boolean hasPending() {
        return utf8.hasPending();
    }

    private String drain() {
        String text = out.toString();
        out.setLength(0);
        return text;
    }
}
