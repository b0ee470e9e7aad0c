package dev.dragon.router.error;

/** The engine stopped (the router is shutting down) before the request finished (503). */
public final class ShuttingDownException extends RouterException {

    private static final long serialVersionUID = 1L;

    public ShuttingDownException(Throwable cause) {
        super("The server is shutting down; retry on another instance.", cause);
    }
}
