package dev.dragon.learning.ingest;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;

/**
 * Examples waiting for the next update, and the held-out slice of recent feedback the gate scores candidates on.
 *
 * <p>Every {@code holdoutEvery}-th feedback (by a stable hash of its id, so a restart assigns the same ones) goes
 * to the holdout slice instead of training: the last {@code holdoutSize} such examples. An update takes at most
 * {@code maxExamples} waiting examples, at most {@code maxTenantShare} of them from any one tenant (a tenant's
 * surplus is dropped: {@code tenant_cap}), and beyond {@code maxPendingPerTenant} waiting examples a tenant's new
 * ones are dropped too.
 *
 * <p>A decision settles, per feedback partition, only a <em>prefix</em>: the examples it takes are the lowest
 * offsets of their partition, and it stops at the first record it cannot take (a later example, or a feedback
 * still waiting for its interaction). The committed offset of a partition is then exactly "everything below was
 * decided", so a learner that restarts from it never decides a feedback twice. Not thread-safe (the learner loop
 * owns it).
 */
public final class ExamplePool {

    /**
     * What one update trains on and is judged by.
     *
     * @param training   examples to train on (settled by the decision)
     * @param newHoldout held-out examples first used by this decision (settled by it)
     * @param holdout    the whole held-out slice the gate scores
     * @param capped     examples refused by the tenant share cap (the caller releases and counts them)
     */
    public record Candidate(List<Example> training, List<Example> newHoldout, List<Example> holdout,
                            List<Example> capped) {
    }

    private final int holdoutEvery;
    private final int holdoutSize;
    private final int minHoldout;
    private final double maxTenantShare;
    private final int maxPendingPerTenant;
    private final LinkedList<Example> pending = new LinkedList<>();
    private final ArrayDeque<Example> holdout = new ArrayDeque<>();
    private final List<Example> unsettledHoldout = new ArrayList<>();
    private final Map<String, Integer> pendingByTenant = new HashMap<>();
    private long oldestPendingSince = Long.MAX_VALUE;

    public ExamplePool(int holdoutEvery, int holdoutSize, int minHoldout, double maxTenantShare,
                       int maxPendingPerTenant) {
        this.holdoutEvery = holdoutEvery;
        this.holdoutSize = holdoutSize;
        this.minHoldout = minHoldout;
        this.maxTenantShare = maxTenantShare;
        this.maxPendingPerTenant = maxPendingPerTenant;
    }

    /** Whether {@code feedbackId} belongs to the held-out slice. */
    public boolean isHoldout(String feedbackId) {
        return Math.floorMod(feedbackId.hashCode(), holdoutEvery) == 0;
    }

    /** Adds an example; returns false when its tenant already has too many waiting (the caller drops it). */
    public boolean add(Example e, long nowNanos) {
        if (isHoldout(e.feedbackId())) {
            addHoldout(e);
            return true;
        }
        int waiting = pendingByTenant.getOrDefault(e.tenant(), 0);
        if (waiting >= maxPendingPerTenant) {
            return false;
        }
        pendingByTenant.put(e.tenant(), waiting + 1);
        if (pending.isEmpty()) {
            oldestPendingSince = nowNanos;
        }
        pending.addLast(e);
        return true;
    }

    /** Whether an update should run now: enough examples, or some that waited {@code maxWaitNanos}. */
    public boolean ready(int minExamples, long maxWaitNanos, long nowNanos) {
        if (pending.isEmpty() || pending.size() + holdout.size() < minHoldout + 1) {
            return false;
        }
        return pending.size() >= minExamples || nowNanos - oldestPendingSince >= maxWaitNanos;
    }

    /**
     * Takes the next update's examples; the caller trains, judges and then {@link #settle}s. {@code blocked} gives,
     * per feedback partition, the lowest offset that must stay undecided (feedback waiting for its interaction).
     * When the holdout slice is smaller than {@code minHoldout}, the newest taken examples fill it first.
     */
    public Candidate take(int maxExamples, Map<OffsetTracker.Partition, Long> blocked) {
        Map<OffsetTracker.Partition, List<Example>> byPartition = new HashMap<>();
        for (Example e : pending) {
            byPartition.computeIfAbsent(partition(e), p -> new ArrayList<>()).add(e);
        }
        byPartition.values().forEach(l -> l.sort(Comparator.comparingLong(e -> e.feedbackRef().offset())));
        Map<OffsetTracker.Partition, Long> cut = new HashMap<>(blocked);
        int perTenant = Math.max(1, (int) Math.floor(maxTenantShare * maxExamples));
        Map<String, Integer> taken = new HashMap<>();
        List<Example> training = new ArrayList<>();
        List<Example> capped = new ArrayList<>();
        Map<OffsetTracker.Partition, Integer> next = new HashMap<>();
        boolean progress = true;
        while (progress && training.size() < maxExamples) {        // round-robin over partitions, lowest offsets first
            progress = false;
            for (var entry : byPartition.entrySet()) {
                int i = next.getOrDefault(entry.getKey(), 0);
                List<Example> list = entry.getValue();
                long limit = cut.getOrDefault(entry.getKey(), Long.MAX_VALUE);
                if (i >= list.size() || list.get(i).feedbackRef().offset() >= limit || training.size() >= maxExamples) {
                    continue;
                }
                Example e = list.get(i);
                next.put(entry.getKey(), i + 1);
                progress = true;
                int n = taken.getOrDefault(e.tenant(), 0);
                if (n < perTenant) {
                    taken.put(e.tenant(), n + 1);
                    training.add(e);
                } else {
                    capped.add(e);
                }
            }
        }
        byPartition.forEach((p, list) -> {                          // the first example not taken bounds the prefix
            int i = next.getOrDefault(p, 0);
            if (i < list.size()) {
                cut.merge(p, list.get(i).feedbackRef().offset(), Math::min);
            }
        });
        for (Example e : training) {
            pending.remove(e);
            decrement(e.tenant());
        }
        for (Example e : capped) {
            pending.remove(e);
            decrement(e.tenant());
        }
        while (holdout.size() < minHoldout && training.size() > 1) {
            addHoldout(training.removeLast());
        }
        List<Example> newHoldout = unsettledHoldout.stream()
                .filter(e -> e.feedbackRef().offset() < cut.getOrDefault(partition(e), Long.MAX_VALUE)).toList();
        return new Candidate(List.copyOf(training), newHoldout, List.copyOf(holdout), List.copyOf(capped));
    }

    /** The candidate's decision is committed: its examples no longer need their records. */
    public void settle(Candidate c, OffsetTracker offsets, long nowNanos) {
        c.training().forEach(e -> offsets.release(e.feedbackRef()));
        c.newHoldout().forEach(e -> offsets.release(e.feedbackRef()));
        unsettledHoldout.removeAll(c.newHoldout());
        oldestPendingSince = nowNanos;
    }

    public int pendingCount() {
        return pending.size();
    }

    public int holdoutCount() {
        return holdout.size();
    }

    private void addHoldout(Example e) {
        holdout.addLast(e);
        unsettledHoldout.add(e);
        while (holdout.size() > holdoutSize) {
            holdout.removeFirst();
        }
    }

    private void decrement(String tenant) {
        pendingByTenant.computeIfPresent(tenant, (k, n) -> n == 1 ? null : n - 1);
    }

    private static OffsetTracker.Partition partition(Example e) {
        return new OffsetTracker.Partition(e.feedbackRef().topic(), e.feedbackRef().partition());
    }
}
