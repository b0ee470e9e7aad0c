package dev.dragon.router.metrics;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Routing counts over a sliding window (the last minute, in buckets): tokens per (layer, expert), rows and
 * (row, expert) assignments per layer. Written by the engine thread once per layer and step, read by metric
 * scrapes; a short lock keeps the two consistent.
 */
final class RoutingWindow {

    private final int layers;
    private final int experts;
    private final SlidingBuckets buckets;
    private final long[][] tokens;        // [buckets][layers * experts]
    private final long[][] rows;          // [buckets][layers]
    private final long[][] assignments;   // [buckets][layers]

    RoutingWindow(int layers, int experts, Duration window, int buckets, LongSupplier nanoClock) {
        this.layers = layers;
        this.experts = experts;
        this.buckets = new SlidingBuckets(window, buckets, nanoClock);
        this.tokens = new long[buckets][layers * experts];
        this.rows = new long[buckets][layers];
        this.assignments = new long[buckets][layers];
    }

    /** Adds one routing decision of {@code layer}: {@code perExpert[e]} tokens went to expert e. */
    synchronized void record(int layer, int[] perExpert, int routedRows) {
        int b = buckets.current(this::reset);
        int total = 0;
        for (int e = 0; e < experts; e++) {
            tokens[b][layer * experts + e] += perExpert[e];
            total += perExpert[e];
        }
        rows[b][layer] += routedRows;
        assignments[b][layer] += total;
    }

    /** Busiest expert's tokens over the mean per expert at {@code layer} (1 = balanced); 0 without traffic. */
    synchronized double loadImbalance(int layer) {
        long max = 0;
        long sum = 0;
        for (int e = 0; e < experts; e++) {
            long count = 0;
            for (int b = 0; b < buckets.slots(); b++) {
                if (buckets.live(b)) {
                    count += tokens[b][layer * experts + e];
                }
            }
            max = Math.max(max, count);
            sum += count;
        }
        return sum == 0 ? 0 : max / ((double) sum / experts);
    }

    /** Routed experts per token per layer, averaged over every layer; 0 without traffic. */
    synchronized double expertsPerToken() {
        long n = 0;
        long a = 0;
        for (int b = 0; b < buckets.slots(); b++) {
            if (buckets.live(b)) {
                for (int l = 0; l < layers; l++) {
                    n += rows[b][l];
                    a += assignments[b][l];
                }
            }
        }
        return n == 0 ? 0 : (double) a / n;
    }

    private void reset(int b) {
        Arrays.fill(tokens[b], 0);
        Arrays.fill(rows[b], 0);
        Arrays.fill(assignments[b], 0);
    }
}
