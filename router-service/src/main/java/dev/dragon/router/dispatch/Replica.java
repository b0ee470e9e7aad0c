package dev.dragon.router.dispatch;

import dev.dragon.contracts.v1.ExpertDispatchGrpc;
import dev.dragon.router.discovery.ReplicaEndpoint;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.util.concurrent.atomic.AtomicInteger;

/** One replica of a group: its channel, its async stub and the dispatch calls outstanding on it. */
final class Replica {

    private final String group;
    private final ReplicaEndpoint endpoint;
    private final ManagedChannel channel;
    private final ExpertDispatchGrpc.ExpertDispatchStub stub;
    private final AtomicInteger outstanding = new AtomicInteger();

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

    /** False while the channel cannot connect (the replica is down or unreachable). */
    boolean reachable() {
        return channel.getState(false) != ConnectivityState.TRANSIENT_FAILURE;
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
