package dev.dragon.core.bundle;

import java.util.List;

/** The default partition of routed experts into groups; every (layer, expert) belongs to exactly one group. */
public record Partition(List<ExpertGroup> groups) {

    public Partition {
        groups = List.copyOf(groups);
    }

    /** Index into {@link #groups()} of the group serving {@code expert} at {@code layer}. */
    public int groupIndexOf(int layer, int expert) {
        for (int g = 0; g < groups.size(); g++) {
            if (groups.get(g).serves(layer, expert)) {
                return g;
            }
        }
        throw new IllegalArgumentException("no group serves expert " + expert + " at layer " + layer);
    }

    public ExpertGroup groupOf(int layer, int expert) {
        return groups.get(groupIndexOf(layer, expert));
    }
}
