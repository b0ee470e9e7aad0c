package dev.dragon.platform;

import java.io.Serial;

/** A reason the platform cannot start, worded for the person at the terminal (printed without a stack trace). */
public final class PlatformException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    public PlatformException(String message) {
        super(message);
    }

    public PlatformException(String message, Throwable cause) {
        super(message, cause);
    }
}
