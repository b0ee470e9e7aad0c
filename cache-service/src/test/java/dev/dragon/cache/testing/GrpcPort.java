package dev.dragon.cache.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.event.EventListener;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/** Captures the port the gRPC server bound to (tests ask for port 0). */
public final class GrpcPort {

    private final AtomicInteger port = new AtomicInteger();

    @EventListener
    void onStarted(GrpcServerStartedEvent event) {
        port.set(event.getPort());
    }

    public int value() {
        assertThat(port.get()).as("gRPC server port").isPositive();
        return port.get();
    }
}
