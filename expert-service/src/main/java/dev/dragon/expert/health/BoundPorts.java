package dev.dragon.expert.health;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/** The ports this replica actually bound (a configured port 0 picks a free one), logged as they open. */
public class BoundPorts {

    private static final Logger LOG = LoggerFactory.getLogger(BoundPorts.class);

    private volatile int grpc = -1;
    private volatile int http = -1;

    @EventListener
    void onGrpcStarted(GrpcServerStartedEvent event) {
        grpc = event.getPort();
        LOG.info("gRPC server (ExpertDispatch) listening on port {}", grpc);
    }

    @EventListener
    void onHttpStarted(WebServerInitializedEvent event) {
        http = event.getWebServer().getPort();
        LOG.info("HTTP server (actuator: health, prometheus) listening on port {}", http);
    }

    /** The gRPC port, or -1 before the server started. */
    public int grpc() {
        return grpc;
    }

    /** The HTTP (actuator) port, or -1 before the server started. */
    public int http() {
        return http;
    }
}
