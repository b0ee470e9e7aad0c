package dev.dragon.cache.purge;

/** Why cache-service ended a watch itself; the router watches again (on another replica when this one stops). */
public final class PurgeWatchEndedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** More notices waited for the watcher than {@code purges.watcher-queue}. */
        FELL_BEHIND,
        /** This replica is shutting down. */
        SHUTTING_DOWN
    }

    private final Reason reason;

    PurgeWatchEndedException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
