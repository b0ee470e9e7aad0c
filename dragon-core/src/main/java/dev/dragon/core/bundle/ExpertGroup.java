package dev.dragon.core.bundle;

import java.util.List;

/**
 * One expert group of the default partition: the routed experts it serves, per layer.
 *
 * @param name    group name, e.g. {@code g0}
 * @param experts per layer, the expert indices of that layer served by this group
 */
public record ExpertGroup(String name, List<List<Integer>> experts) {

    public ExpertGroup {
        experts = experts.stream().map(List::copyOf).toList();
    }

    /** Whether this group serves {@code expert} at {@code layer}. */
    public boolean serves(int layer, int expert) {
        return experts.get(layer).contains(expert);
    }
}
