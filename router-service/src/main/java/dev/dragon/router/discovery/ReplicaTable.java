package dev.dragon.router.discovery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica lists both discoveries keep: replaces a group's list, tells listeners about real changes
 * only, and replays the current state to a new listener. Thread-safe; listeners are called in order.
 */
final class ReplicaTable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaTable.class);

    private final Map<String, List<ReplicaEndpoint>> replicas = new LinkedHashMap<>();
    private final List<ExpertDiscovery.Listener> listeners = new CopyOnWriteArrayList<>();
    private final String source;

    ReplicaTable(String source, Set<String> groups) {
        this.source = source;
        for (String g : new TreeSet<>(groups)) {
            replicas.put(g, List.of());
        }
    }

    synchronized Set<String> groups() {
        return Set.copyOf(new LinkedHashSet<>(replicas.keySet()));
    }

    synchronized List<ReplicaEndpoint> get(String group) {
        return replicas.getOrDefault(group, List.of());
    }

    synchronized Map<String, List<ReplicaEndpoint>> snapshot() {
        return Map.copyOf(replicas);
    }

    /** Makes {@code endpoints} the replicas of {@code group}; listeners hear of it if it changed. */
    synchronized void put(String group, Iterable<ReplicaEndpoint> endpoints) {
        List<ReplicaEndpoint> next = List.copyOf(new TreeSet<ReplicaEndpoint>(toList(endpoints)));
        List<ReplicaEndpoint> previous = replicas.put(group, next);
        if (next.equals(previous)) {
            return;
        }
        LOG.info("{} discovery: group {} has {} replica(s) {}", source, group, next.size(), next);
        for (ExpertDiscovery.Listener l : listeners) {
            notify(l, group, next);
        }
    }

    synchronized ExpertDiscovery.Subscription subscribe(ExpertDiscovery.Listener listener) {
        listeners.add(listener);
        replicas.forEach((group, list) -> notify(listener, group, list));
        return () -> listeners.remove(listener);
    }

    synchronized void clearListeners() {
        listeners.clear();
    }

    private static void notify(ExpertDiscovery.Listener l, String group, List<ReplicaEndpoint> list) {
        try {
            l.replicasChanged(group, list);
        } catch (RuntimeException e) {
            LOG.error("replica listener failed for group {}", group, e);
        }
    }

    private static List<ReplicaEndpoint> toList(Iterable<ReplicaEndpoint> endpoints) {
        List<ReplicaEndpoint> out = new ArrayList<>();
        endpoints.forEach(out::add);
        return out;
    }
}
