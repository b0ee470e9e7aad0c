package dev.dragon.router.discovery;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replicas from configuration ({@code dragon.router.discovery.static-endpoints}); local mode, where every
 * expert-service is a process on loopback. {@link #update} replaces a group's list at run time (tools,
 * tests); nothing checks whether a listed replica is up — the dispatcher fails over when one is not.
 */
public final class StaticExpertDiscovery extends TableDiscovery {

    /** {@code groups}: the groups to report on (a group in {@code endpoints} is reported too). */
    public StaticExpertDiscovery(Set<String> groups, Map<String, List<ReplicaEndpoint>> endpoints) {
        super("static", union(groups, endpoints.keySet()));
        endpoints.forEach(table::put);
    }

    /** Parses {@code group → ["host:port", …]} as configured. */
    public static StaticExpertDiscovery fromConfig(Set<String> groups, Map<String, List<String>> endpoints) {
        Map<String, List<ReplicaEndpoint>> parsed = new java.util.HashMap<>();
        endpoints.forEach((g, list) -> parsed.put(g, list.stream().filter(s -> !s.isBlank())
                .map(ReplicaEndpoint::parse).toList()));
        return new StaticExpertDiscovery(groups, parsed);
    }

    /** Replaces the replicas of {@code group}. */
    public void update(String group, List<ReplicaEndpoint> replicas) {
        table.put(group, replicas);
    }

    @Override
    public void start() {
        // nothing to watch
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
