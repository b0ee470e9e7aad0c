package dev.dragon.core.tensor;

/** Malformed tensor data (a safetensors file or a wire-encoded matrix); the message says what is wrong. */
public final class TensorFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TensorFormatException(String message) {
        super(message);
    }

    public TensorFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
