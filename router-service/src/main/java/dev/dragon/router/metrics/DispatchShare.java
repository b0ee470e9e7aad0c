package dev.dragon.router.metrics;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The fraction of decode-step time the engine spent waiting on expert dispatch over a sliding window:
 * {@code Σ wait / Σ step} over decode steps. Steps run one after another on the engine thread and the engine
 * waits on dispatch only inside a step, so the growth of the dispatch layer's cumulative wait between two
 * step reports is the wait of the later step (in-process experts never wait: the share is 0).
 */
final class DispatchShare {

    private final SlidingBuckets buckets;
    private final LongSupplier waitedNanos;
    private final long[] stepNanos;       // [buckets]
    private final long[] waitNanos;       // [buckets]
    private long lastWaited;

    /** @param waitedNanos cumulative nanoseconds the engine has waited on dispatch, since start */
    DispatchShare(Duration window, int buckets, LongSupplier nanoClock, LongSupplier waitedNanos) {
        this.buckets = new SlidingBuckets(window, buckets, nanoClock);
        this.waitedNanos = waitedNanos;
        this.stepNanos = new long[buckets];
        this.waitNanos = new long[buckets];
        this.lastWaited = waitedNanos.getAsLong();
    }

    /** A model step of {@code nanos} ended; only decode steps count. */
    synchronized void onStep(boolean decode, long nanos) {
        long waited = waitedNanos.getAsLong();
        if (decode) {
            int b = buckets.current(slot -> {
                stepNanos[slot] = 0;
                waitNanos[slot] = 0;
            });
            stepNanos[b] += nanos;
            waitNanos[b] += waited - lastWaited;
        }
        lastWaited = waited;
    }

    /** Share of step time spent waiting on dispatch in the window, in [0, 1]; 0 without steps. */
    synchronized double share() {
        long step = 0;
        long wait = 0;
        for (int b = 0; b < buckets.slots(); b++) {
            if (buckets.live(b)) {
                step += stepNanos[b];
                wait += waitNanos[b];
            }
        }
        return step == 0 ? 0 : Math.min(1.0, (double) wait / step);
    }
}
