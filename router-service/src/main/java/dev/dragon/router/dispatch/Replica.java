package dev.dragon.router.dispatch;

import dev.dragon.contracts.v1.ExpertDispatchGrpc;
import dev.dragon.router.discovery.ReplicaEndpoint;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** One replica of a group: its channel, its async stub and the dispatch calls outstanding on it. */
final class Replica {

    private final String group;
    private final ReplicaEndpoint endpoint;
    private final ManagedChannel channel;
    private final ExpertDispatchGrpc.ExpertDispatchStub stub;
    private static final long PROBE_INTERVAL_NANOS = 2_000_000_000L;

    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicLong nextProbeNanos = new AtomicLong(System.nanoTime());

    Replica(String group, ReplicaEndpoint endpoint, ManagedChannel channel) {
        this.group = group;
        this.endpoint = endpoint;
        this.channel = channel;
        this.stub = ExpertDispatchGrpc.newStub(channel);
    }

    String group() {
        return group;
    }

    ReplicaEndpoint endpoint() {
        return endpoint;
    }

    ExpertDispatchGrpc.ExpertDispatchStub stub() {
        return stub;
    }

    int outstanding() {
        return outstanding.get();
    }

    void callStarted() {
        outstanding.incrementAndGet();
    }

    void callEnded() {
        outstanding.decrementAndGet();
    }

    /**
     * False while the channel cannot connect (the replica is down or unreachable). While it cannot, a new
     * connection attempt is made at most every {@link #PROBE_INTERVAL_NANOS} instead of after gRPC's exponential
     * reconnect backoff, which grows to tens of seconds while a replica is down: a restarted replica gets calls
     * again within seconds of being back.
     */
    boolean reachable() {
        if (channel.getState(false) != ConnectivityState.TRANSIENT_FAILURE) {
            return true;
        }
        long now = System.nanoTime();
        long next = nextProbeNanos.get();
        if (now - next >= 0 && nextProbeNanos.compareAndSet(next, now + PROBE_INTERVAL_NANOS)) {
            channel.resetConnectBackoff();
        }
        return false;
    }

    /** Lets calls in flight finish, then releases the connection. */
    void retire() {
        channel.shutdown();
    }

    void closeNow() {
        channel.shutdownNow();
    }

    @Override
    public String toString() {
        return group + "@" + endpoint;
    }
}
