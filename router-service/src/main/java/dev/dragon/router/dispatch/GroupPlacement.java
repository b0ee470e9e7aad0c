package dev.dragon.router.dispatch;

import dev.dragon.core.bundle.Architecture;
import dev.dragon.core.bundle.ExpertGroup;
import dev.dragon.core.bundle.Manifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which expert groups serve each (layer, expert): the bundle's partition, or a configured placement in which
 * an expert may be in several groups (redundant hot experts).
 */
public final class GroupPlacement {

    private final List<String>[][] groups;      // [layer][expert] → group names serving it
    private final Set<String> names;

    @SuppressWarnings("unchecked")
    private GroupPlacement(int layers, int experts, Map<String, List<List<Integer>>> placement) {
        this.groups = new List[layers][experts];
        for (int l = 0; l < layers; l++) {
            for (int e = 0; e < experts; e++) {
                groups[l][e] = new ArrayList<>();
            }
        }
        placement.forEach((group, perLayer) -> {
            if (perLayer.size() > layers) {
                throw new IllegalArgumentException("dragon.router.dispatch.placement." + group + ": " + perLayer.size()
                        + " layers given, the model has " + layers);
            }
            for (int l = 0; l < perLayer.size(); l++) {
                for (Integer e : perLayer.get(l)) {
                    if (e == null || e < 0 || e >= experts) {
                        throw new IllegalArgumentException("dragon.router.dispatch.placement." + group + "[" + l
                                + "]: expert " + e + " does not exist (0.." + (experts - 1) + ")");
                    }
                    if (!groups[l][e].contains(group)) {
                        groups[l][e].add(group);
                    }
                }
            }
        });
        this.names = Set.copyOf(new TreeSet<>(placement.keySet()));
    }

    /** {@code configured} when not empty, else the manifest's partition. */
    public static GroupPlacement of(Manifest manifest, Map<String, List<List<Integer>>> configured) {
        Architecture arch = manifest.architecture();
        Map<String, List<List<Integer>>> placement = new TreeMap<>(configured);
        if (placement.isEmpty()) {
            for (ExpertGroup g : manifest.partition().groups()) {
                placement.put(g.name(), g.experts());
            }
        }
        return new GroupPlacement(arch.nLayers(), arch.routedExperts(), placement);
    }

    /** Every group name. */
    public Set<String> groups() {
        return names;
    }

    /** The groups serving {@code expert} at {@code layer} (empty when none does). */
    public List<String> groupsServing(int layer, int expert) {
        return List.copyOf(groups[layer][expert]);
    }

    /** The (layer, expert) pairs no group serves, as "layer L expert E" (a misconfigured placement). */
    public List<String> unserved() {
        List<String> out = new ArrayList<>();
        for (int l = 0; l < groups.length; l++) {
            for (int e = 0; e < groups[l].length; e++) {
                if (groups[l][e].isEmpty()) {
                    out.add("layer " + l + " expert " + e);
                }
            }
        }
        return out;
    }
}
