package dev.dragon.cache.redis;

import java.time.Duration;
import org.slf4j.Logger;

/** At most one warning per interval; the next one that passes says how many were held back. */
public final class RateLimitedLog {

    private final Logger log;
    private final long intervalNanos;
    private long lastNanos;
    private boolean logged;
    private int suppressed;

    public RateLimitedLog(Logger log, Duration interval) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
    }

    public synchronized void warn(String message) {
        long now = System.nanoTime();
        if (logged && now - lastNanos < intervalNanos) {
            suppressed++;
            return;
        }
        if (suppressed > 0) {
            log.warn("{} ({} similar messages suppressed)", message, suppressed);
        } else {
            log.warn(message);
        }
        logged = true;
        lastNanos = now;
        suppressed = 0;
    }
}
