package dev.dragon.gateway.error;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs a recurring fault (Redis or the router away) at most once per interval, with how many occurrences
 * were not logged, so an outage under load does not flood the log.
 */
public final class FaultLog {

    private static final long INTERVAL_NANOS = 10_000_000_000L;

    private final Logger log;
    private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    public FaultLog(Logger log) {
        this.log = log;
    }

    public void warn(String format, Object... args) {
        long now = System.nanoTime();
        long due = next.get();
        if ((due == Long.MIN_VALUE || now - due >= 0) && next.compareAndSet(due, now + INTERVAL_NANOS)) {
            long skipped = suppressed.getAndSet(0);
            log.warn(skipped == 0 ? format : format + " (and " + skipped + " more like it)", args);
        } else {
            suppressed.incrementAndGet();
        }
    }
}
