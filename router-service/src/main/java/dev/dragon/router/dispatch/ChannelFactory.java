package dev.dragon.router.dispatch;

import dev.dragon.router.discovery.ReplicaEndpoint;
import dev.dragon.support.grpc.RequestIdInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Opens the one gRPC channel the dispatcher keeps per replica endpoint, and says where a layer's calls are
 * started.
 */
public interface ChannelFactory {

    /** Largest reply accepted: a reply is as large as its request (a big prefill step at fp32). */
    int MAX_MESSAGE_BYTES = 64 << 20;

    ManagedChannel open(ReplicaEndpoint endpoint);

    /**
     * The executor a layer's calls are started on, in one task, and the calls' deadline sweeps run on (the
     * channels' event loop).
     */
    ScheduledExecutorService callStarter();

    /**
     * Plaintext HTTP/2 (in-cluster traffic) with every channel on {@code loop}'s thread and calls started on it,
     * callbacks on that thread (they only decode and hand over), keepalive so a silently dead replica is
     * noticed, the request id of the caller's MDC in metadata. gRPC's own retry layer is off: {@link GroupCall}
     * retries on another replica itself, and the retry buffering (RetriableStream) cost measurable engine-thread
     * time per call.
     */
    static ChannelFactory plaintext(DispatchLoop loop) {
        return new ChannelFactory() {
            @Override
            public ManagedChannel open(ReplicaEndpoint endpoint) {
                return NettyChannelBuilder.forTarget(endpoint.target())
                        .eventLoopGroup(loop.group())
                        .channelType(loop.channelType())
                        .usePlaintext()
                        .directExecutor()
                        .disableRetry()
                        .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                        .keepAliveTime(30, TimeUnit.SECONDS)
                        .keepAliveTimeout(10, TimeUnit.SECONDS)
                        .intercept(RequestIdInterceptors.client())
                        .build();
            }

            @Override
            public ScheduledExecutorService callStarter() {
                return loop.executor();
            }
        };
    }
}
