package dev.dragon.router.dispatch;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets one log line per key through every {@code intervalNanos}: a group that is down fails every layer of
 * every step, and the metrics count each failure; the log needs only a reminder. Counts what it held back.
 */
final class LogThrottle {

    private final long intervalNanos;
    private final ConcurrentMap<String, AtomicLong> last = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, AtomicLong> suppressed = new ConcurrentHashMap<>();

    LogThrottle(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /**
     * Returns -1 when this line should be dropped, else how many lines of {@code key} were dropped since the
     * last one let through.
     */
    long admit(String key) {
        long now = System.nanoTime();
        AtomicLong at = last.computeIfAbsent(key, k -> new AtomicLong(now - intervalNanos));
        long previous = at.get();
        if (now - previous >= intervalNanos && at.compareAndSet(previous, now)) {
            return suppressed.computeIfAbsent(key, k -> new AtomicLong()).getAndSet(0);
        }
        suppressed.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
        return -1;
    }
}
