package dev.dragon.learning.ingest;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which offsets are safe to commit. A record the learner still needs (an interaction that feedback may join, a
 * feedback whose example has not been decided on) is <em>held</em>; a partition's safe offset is its lowest held
 * offset, or its position when nothing is held. Committing only safe offsets means a learner that crashes and
 * restarts re-reads exactly the records whose effect was not yet committed: nothing is lost, and nothing that
 * was committed (a promoted version, a decision) is repeated.
 */
public final class OffsetTracker {

    /** A topic partition. */
    public record Partition(String topic, int partition) {
    }

    private final Map<Partition, Long> positions = new HashMap<>();
    private final Map<Partition, TreeMap<Long, Integer>> held = new HashMap<>();

    /** The record at {@code ref} was read: the position moves past it. */
    public void consumed(SourceRef ref) {
        positions.merge(partition(ref), ref.offset() + 1, Math::max);
    }

    /** Sets where reading starts (the committed offset) before anything was consumed. */
    public void start(String topic, int partition, long offset) {
        positions.put(new Partition(topic, partition), offset);
    }

    public void hold(SourceRef ref) {
        held.computeIfAbsent(partition(ref), k -> new TreeMap<>()).merge(ref.offset(), 1, Integer::sum);
    }

    public void release(SourceRef ref) {
        TreeMap<Long, Integer> offsets = held.get(partition(ref));
        if (offsets == null || !offsets.containsKey(ref.offset())) {
            throw new IllegalStateException("offset " + ref + " is not held");
        }
        offsets.computeIfPresent(ref.offset(), (k, n) -> n == 1 ? null : n - 1);
    }

    /** The offset to commit for every partition read so far. */
    public Map<Partition, Long> safeOffsets() {
        Map<Partition, Long> out = new HashMap<>();
        positions.forEach((p, position) -> {
            TreeMap<Long, Integer> offsets = held.get(p);
            out.put(p, offsets == null || offsets.isEmpty() ? position : Math.min(position, offsets.firstKey()));
        });
        return out;
    }

    /** Records held across all partitions. */
    public int heldCount() {
        return held.values().stream().mapToInt(m -> m.values().stream().mapToInt(Integer::intValue).sum()).sum();
    }

    private static Partition partition(SourceRef ref) {
        return new Partition(ref.topic(), ref.partition());
    }
}
