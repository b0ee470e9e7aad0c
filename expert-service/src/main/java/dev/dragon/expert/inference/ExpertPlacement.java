package dev.dragon.expert.inference;

import dev.dragon.core.bundle.Architecture;
import dev.dragon.core.bundle.ExpertGroup;
import dev.dragon.core.bundle.Manifest;
import dev.dragon.core.expert.ExpertRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The (layer, expert) pairs one replica serves: its group's experts from the bundle's partition, or an
 * explicit per-layer placement (which may repeat experts of other groups).
 *
 * @param group    group name
 * @param perLayer index = layer, the expert ids served at that layer (sorted)
 */
public record ExpertPlacement(String group, List<SortedSet<Integer>> perLayer) implements ExpertRunner.Selection {

    public ExpertPlacement {
        perLayer = perLayer.stream().map(s -> (SortedSet<Integer>) new TreeSet<>(s)).toList();
    }

    /**
     * Resolves the placement of {@code group}: {@code explicit} when not empty (index = layer), else the
     * manifest partition's group of that name.
     *
     * @throws IllegalArgumentException naming the property at fault
     */
    public static ExpertPlacement resolve(String group, List<List<Integer>> explicit, Manifest manifest) {
        Architecture arch = manifest.architecture();
        if (explicit.isEmpty()) {
            ExpertGroup g = manifest.partition().groups().stream().filter(x -> x.name().equals(group)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("dragon.expert.group: '" + group
                            + "' is not a group of the partition of " + manifest.name() + " (groups: "
                            + manifest.partition().groups().stream().map(ExpertGroup::name).toList()
                            + "); name one of them or give dragon.expert.placement"));
            return new ExpertPlacement(group, g.experts().stream().map(l -> (SortedSet<Integer>) new TreeSet<>(l))
                    .toList());
        }
        if (explicit.size() > arch.nLayers()) {
            throw new IllegalArgumentException("dragon.expert.placement: " + explicit.size()
                    + " layers given, the model has " + arch.nLayers());
        }
        List<SortedSet<Integer>> perLayer = new ArrayList<>();
        for (int l = 0; l < arch.nLayers(); l++) {
            SortedSet<Integer> experts = new TreeSet<>();
            for (Integer e : l < explicit.size() ? explicit.get(l) : List.<Integer>of()) {
                if (e == null || e < 0 || e >= arch.routedExperts()) {
                    throw new IllegalArgumentException("dragon.expert.placement[" + l + "]: expert " + e
                            + " does not exist (the model has experts 0.." + (arch.routedExperts() - 1) + ")");
                }
                experts.add(e);
            }
            perLayer.add(experts);
        }
        if (perLayer.stream().allMatch(SortedSet::isEmpty)) {
            throw new IllegalArgumentException("dragon.expert.placement: places no expert at all");
        }
        return new ExpertPlacement(group, perLayer);
    }

    @Override
    public boolean includes(int layer, int expert) {
        return layer >= 0 && layer < perLayer.size() && perLayer.get(layer).contains(expert);
    }

    public int layers() {
        return perLayer.size();
    }

    /** Number of (layer, expert) pairs served. */
    public int size() {
        return perLayer.stream().mapToInt(SortedSet::size).sum();
    }

    @Override
    public String toString() {
        return group + " " + perLayer;
    }
}
