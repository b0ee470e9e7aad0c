package dev.dragon.gateway.ratelimit;

/**
 * One limit's state after a request was weighed against it.
 *
 * @param allowed           whether the request fits
 * @param limit             items per minute (requests or tokens)
 * @param remaining         items left now, or -1 when unknown (Redis unreachable: the request was let through)
 * @param resetSeconds      seconds until the bucket is full again
 * @param retryAfterSeconds whole seconds until the refused request would fit (0 when allowed)
 */
public record Quota(boolean allowed, long limit, long remaining, double resetSeconds, long retryAfterSeconds) {

    public boolean known() {
        return remaining >= 0;
    }

    /** The state when Redis could not be asked: let the request through, report nothing remaining-wise. */
    public static Quota unknown(long limit) {
        return new Quota(true, limit, -1, 0, 0);
    }
}
