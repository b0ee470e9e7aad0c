package dev.dragon.router.dispatch;

import dev.dragon.router.discovery.ExpertDiscovery;
import dev.dragon.router.discovery.ReplicaEndpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The live replicas of every group, kept in step with discovery: one channel per endpoint, opened when
 * discovery adds it and shut down (gracefully: calls in flight finish) when discovery removes it.
 * Picks the replica for a call by least outstanding calls, ties at random, reachable replicas first.
 */
final class ReplicaPool implements ExpertDiscovery.Listener, AutoCloseable {

    private final ChannelFactory channels;
    private final Map<String, List<Replica>> byGroup = new ConcurrentHashMap<>();   // immutable lists
    private volatile boolean closed;

    ReplicaPool(ChannelFactory channels) {
        this.channels = channels;
    }

    @Override
    public synchronized void replicasChanged(String group, List<ReplicaEndpoint> endpoints) {
        if (closed) {
            return;
        }
        Map<ReplicaEndpoint, Replica> current = new HashMap<>();
        for (Replica r : byGroup.getOrDefault(group, List.of())) {
            current.put(r.endpoint(), r);
        }
        List<Replica> next = new ArrayList<>();
        for (ReplicaEndpoint e : endpoints) {
            Replica kept = current.remove(e);
            next.add(kept != null ? kept : new Replica(group, e, channels.open(e), channels.callStarter()));
        }
        byGroup.put(group, List.copyOf(next));
        current.values().forEach(Replica::retire);
    }

    /** Live replicas of {@code group}. */
    List<Replica> replicas(String group) {
        return byGroup.getOrDefault(group, List.of());
    }

    int size(String group) {
        return replicas(group).size();
    }

    /** Calls outstanding on {@code group}'s replicas. */
    int outstanding(String group) {
        int sum = 0;
        for (Replica r : replicas(group)) {
            sum += r.outstanding();
        }
        return sum;
    }

    /** The replica of {@code group} for the next call, excluding {@code tried}; null when none is left. */
    Replica pick(String group, Set<Replica> tried) {
        Replica best = null;
        int ties = 0;
        for (Replica r : replicas(group)) {
            if (tried.contains(r)) {
                continue;
            }
            int c = best == null ? -1 : compare(r, best);
            if (c < 0) {
                best = r;
                ties = 1;
            } else if (c == 0 && ThreadLocalRandom.current().nextInt(++ties) == 0) {
                best = r;                                      // reservoir sampling: a uniform pick among ties
            }
        }
        return best;
    }

    private static int compare(Replica a, Replica b) {
        int c = Boolean.compare(!a.reachable(), !b.reachable());
        return c != 0 ? c : Integer.compare(a.outstanding(), b.outstanding());
    }

    @Override
    public synchronized void close() {
        closed = true;
        byGroup.values().forEach(list -> list.forEach(Replica::closeNow));
        byGroup.clear();
    }
}
