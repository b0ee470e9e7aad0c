package dev.dragon.support.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a label's cardinality bounded: the first {@code capacity} distinct values seen keep their
 * name, every later one is reported as {@code other}. Used for tenant labels.
 */
public final class BoundedLabel {

    public static final String OTHER = "other";

    private final int capacity;
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();

    public BoundedLabel(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0");
        }
        this.capacity = capacity;
    }

    public String value(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "none";
        }
        if (admitted.contains(raw)) {
            return raw;
        }
        synchronized (admitted) {
            if (admitted.size() < capacity) {
                admitted.add(raw);
                return raw;
            }
        }
        return OTHER;
    }

    public int capacity() {
        return capacity;
    }
}
