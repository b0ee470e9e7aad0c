package dev.dragon.gateway.ratelimit;

/**
 * A per-minute limit expressed for Spring Cloud Gateway's token-bucket script, whose refill rate is a whole
 * number per second: one item (a request, or a token) costs {@value #UNITS} units, the bucket refills
 * {@code perMinute} units per second and holds {@code perMinute * 60} units, i.e. a full minute's worth of
 * items. So any per-minute limit >= 1 is exact, and a burst of up to one minute's allowance is accepted.
 */
public record MinuteBucket(long perMinute) {

    public static final int UNITS = 60;

    public MinuteBucket {
        if (perMinute < 1) {
            throw new IllegalArgumentException("perMinute must be >= 1");
        }
    }

    /** Refill, units per second. */
    public long rate() {
        return perMinute;
    }

    public long capacity() {
        return perMinute * UNITS;
    }

    public long units(long items) {
        return items * UNITS;
    }

    /**
     * The quota after the script answered with {@code unitsLeft} for a request of {@code items}. A negative
     * {@code unitsLeft} is a debt (usage reconciled above a reservation): nothing remains until it is refilled.
     */
    public Quota quota(boolean allowed, long unitsLeft, long items) {
        long left = Math.min(capacity(), unitsLeft);
        double reset = (capacity() - left) / (double) rate();
        long retryAfter = allowed ? 0 : Math.max(1, (long) Math.ceil((units(items) - left) / (double) rate()));
        return new Quota(allowed, perMinute, Math.max(0, left) / UNITS, reset, retryAfter);
    }
}
