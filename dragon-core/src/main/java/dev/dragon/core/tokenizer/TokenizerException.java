package dev.dragon.core.tokenizer;

/** {@code tokenizer.json} is malformed or inconsistent; the message names the field. */
public final class TokenizerException extends RuntimeException {

    public TokenizerException(String message) {
        super(message);
    }

    public TokenizerException(String message, Throwable cause) {
        super(message, cause);
    }
}
