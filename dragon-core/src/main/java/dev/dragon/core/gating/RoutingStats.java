package dev.dragon.core.gating;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Running counts of routing decisions: tokens per (layer, expert), rows routed per layer. Thread-safe
 * and cheap to update (one atomic add per selected expert per batch); readings taken while other
 * threads record may mix batches, which is fine for metrics.
 */
public final class RoutingStats {

    private final int layers;
    private final int experts;
    private final AtomicLongArray tokens;      // [layers * experts]: times each expert was selected
    private final AtomicLongArray rows;        // [layers]: rows routed
    private final AtomicLongArray assignments; // [layers]: (row, expert) pairs

    public RoutingStats(int layers, int experts) {
        if (layers < 1 || experts < 1) {
            throw new IllegalArgumentException("need layers >= 1 and experts >= 1, got " + layers + ", " + experts);
        }
        this.layers = layers;
        this.experts = experts;
        this.tokens = new AtomicLongArray(layers * experts);
        this.rows = new AtomicLongArray(layers);
        this.assignments = new AtomicLongArray(layers);
    }

    /** Adds one batch's routing at {@code layer}. */
    public void record(int layer, Routing routing) {
        Objects.checkIndex(layer, layers);
        int[] perExpert = new int[experts];
        for (int i = 0; i < routing.totalAssignments(); i++) {
            perExpert[Objects.checkIndex(routing.flatExpert(i), experts)]++;
        }
        for (int e = 0; e < experts; e++) {
            if (perExpert[e] != 0) {
                tokens.addAndGet(layer * experts + e, perExpert[e]);
            }
        }
        rows.addAndGet(layer, routing.rows());
        assignments.addAndGet(layer, routing.totalAssignments());
    }

    public int layers() {
        return layers;
    }

    public int experts() {
        return experts;
    }

    /** How many tokens were routed to {@code expert} at {@code layer}. */
    public long tokens(int layer, int expert) {
        Objects.checkIndex(layer, layers);
        Objects.checkIndex(expert, experts);
        return tokens.get(layer * experts + expert);
    }

    /** Rows (token positions) routed at {@code layer}. */
    public long rows(int layer) {
        return rows.get(Objects.checkIndex(layer, layers));
    }

    /** Mean experts per token at {@code layer}; 0 before any routing. */
    public double averageExpertsPerToken(int layer) {
        long n = rows(layer);
        return n == 0 ? 0 : (double) assignments.get(layer) / n;
    }

    /** Mean experts per token over all layers; 0 before any routing. */
    public double averageExpertsPerToken() {
        long n = 0;
        long a = 0;
        for (int l = 0; l < layers; l++) {
            n += rows.get(l);
            a += assignments.get(l);
        }
        return n == 0 ? 0 : (double) a / n;
    }

    /**
     * Load imbalance at {@code layer}: the busiest expert's token count over the mean count per expert
     * (1 = perfectly balanced, {@code experts} = everything on one expert); 0 before any routing.
     */
    public double loadMaxOverMean(int layer) {
        Objects.checkIndex(layer, layers);
        long max = 0;
        long sum = 0;
        for (int e = 0; e < experts; e++) {
            long count = tokens.get(layer * experts + e);
            max = Math.max(max, count);
            sum += count;
        }
        return sum == 0 ? 0 : max / ((double) sum / experts);
    }

    /** Sets every count back to zero. */
    public void reset() {
        for (int i = 0; i < tokens.length(); i++) {
            tokens.set(i, 0);
        }
        for (int l = 0; l < layers; l++) {
            rows.set(l, 0);
            assignments.set(l, 0);
        }
    }
}
