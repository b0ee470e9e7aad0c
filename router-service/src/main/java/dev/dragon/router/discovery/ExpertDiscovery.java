package dev.dragon.router.discovery;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The live replicas of every expert group, and a way to hear about changes. Implementations: a static list
 * ({@link StaticExpertDiscovery}, local mode) and Kubernetes EndpointSlices ({@link KubernetesExpertDiscovery}).
 */
public interface ExpertDiscovery extends AutoCloseable {

    /** Hears about replica changes. Called on a discovery thread; must not block. */
    @FunctionalInterface
    interface Listener {
        /** {@code replicas} is the complete, sorted list of {@code group}'s live replicas now. */
        void replicasChanged(String group, List<ReplicaEndpoint> replicas);
    }

    /** Stops a listener from hearing further changes. */
    @FunctionalInterface
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /** Starts watching (idempotent). Replicas may arrive after it returns. */
    void start();

    /** The groups this discovery reports on. */
    Set<String> groups();

    /** The live replicas of {@code group} now (empty for a group without any, or an unknown group). */
    List<ReplicaEndpoint> replicas(String group);

    /** Every group's live replicas now. */
    Map<String, List<ReplicaEndpoint>> snapshot();

    /**
     * Registers {@code listener}: it is called at once with every group's current replicas, then on every
     * change of a group, in order.
     */
    Subscription subscribe(Listener listener);

    @Override
    void close();
}
