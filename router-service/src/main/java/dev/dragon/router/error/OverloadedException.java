package dev.dragon.router.error;

/** Every KV slot is busy and the waiting queue is full (429 with Retry-After). */
public final class OverloadedException extends RouterException {

    private static final long serialVersionUID = 1L;

    public OverloadedException(Throwable cause) {
        super("The server is overloaded: every generation slot is busy and the queue is full. Retry after a moment.",
                cause);
    }
}
