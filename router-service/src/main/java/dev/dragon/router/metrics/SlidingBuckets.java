package dev.dragon.router.metrics;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * Time buckets of a sliding window: which bucket slot the present falls in (recycling a slot that still
 * holds an older period), and which slots lie inside the window. Callers keep their own per-slot data and
 * their own lock.
 */
final class SlidingBuckets {

    private final long bucketNanos;
    private final LongSupplier nanoClock;
    private final long[] epochs;          // [slots]: the bucket period each slot holds

    SlidingBuckets(Duration window, int slots, LongSupplier nanoClock) {
        if (slots < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("need a positive window and at least one bucket");
        }
        this.bucketNanos = Math.max(1, window.toNanos() / slots);
        this.nanoClock = nanoClock;
        this.epochs = new long[slots];
        Arrays.fill(epochs, Long.MIN_VALUE);
    }

    int slots() {
        return epochs.length;
    }

    /** The slot of the present bucket period; {@code reset} empties it first when it held an older period. */
    int current(IntConsumer reset) {
        long epoch = epoch();
        int slot = (int) Math.floorMod(epoch, (long) epochs.length);
        if (epochs[slot] != epoch) {
            epochs[slot] = epoch;
            reset.accept(slot);
        }
        return slot;
    }

    /** Whether {@code slot} holds a period inside the window (the present one or the slots-1 before it). */
    boolean live(int slot) {
        return epochs[slot] > epoch() - epochs.length;
    }

    private long epoch() {
        return Math.floorDiv(nanoClock.getAsLong(), bucketNanos);
    }
}
