package dev.dragon.router.events;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Logs at most once per interval: the first occurrence logs at once, later ones within the interval are only
 * counted and reported with the next line. Thread-safe.
 */
public final class RateLimitedLog {

    private final long intervalNanos;
    private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedLog(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /** Calls {@code log} with the number of occurrences suppressed since the last line, when one is due. */
    public void occurred(LongConsumer log) {
        long now = System.nanoTime();
        long allowed = nextAllowed.get();
        if ((allowed == Long.MIN_VALUE || now - allowed >= 0) && nextAllowed.compareAndSet(allowed, now + intervalNanos)) {
            log.accept(suppressed.getAndSet(0));
        } else {
            suppressed.incrementAndGet();
        }
    }
}
