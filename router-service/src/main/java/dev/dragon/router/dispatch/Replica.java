package dev.dragon.router.dispatch;

import dev.dragon.contracts.v1.ExpertDispatchGrpc;
import dev.dragon.router.discovery.ReplicaEndpoint;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** One replica of a group: its channel, the dispatch stream on it and the dispatch calls outstanding on it. */
final class Replica {

    private final String group;
    private final ReplicaEndpoint endpoint;
    private final ManagedChannel channel;
    private final ReplicaStream stream;
    private static final long PROBE_INTERVAL_NANOS = 2_000_000_000L;
    /** How often pending calls' deadlines are checked while there are any. */
    private static final long DEADLINE_SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicLong nextProbeNanos = new AtomicLong(System.nanoTime());

    /** @param timers where the stream's deadline sweep runs (the channel's event loop) */
    Replica(String group, ReplicaEndpoint endpoint, ManagedChannel channel, ScheduledExecutorService timers) {
        this.group = group;
        this.endpoint = endpoint;
        this.channel = channel;
        this.stream = new ReplicaStream(ExpertDispatchGrpc.newStub(channel), timers, DEADLINE_SWEEP_NANOS);
    }

    String group() {
        return group;
    }

    ReplicaEndpoint endpoint() {
        return endpoint;
    }

    ReplicaStream stream() {
        return stream;
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
        stream.finish();
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
