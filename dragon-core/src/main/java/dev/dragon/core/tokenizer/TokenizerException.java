package dev.dragon.core.tokenizer;

/** {@code tokenizer.json} is malformed or inconsistent; the message names the field. */
public final class TokenizerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TokenizerException(String message) {
        super(message);
    }

    public TokenizerException(String message, Throwable cause) {
        super(message, cause);
    }
}
