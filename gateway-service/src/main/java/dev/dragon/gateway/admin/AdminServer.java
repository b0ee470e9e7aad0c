package dev.dragon.gateway.admin;

import dev.dragon.gateway.config.GatewayProperties;
import dev.dragon.gateway.error.GatewayErrorHandler;
import dev.dragon.support.web.RequestIdWebFilter;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.HandlerStrategies;
import org.springframework.web.reactive.function.server.RouterFunctions;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The admin API's own Reactor Netty server on {@code dragon.gateway.admin.port}. Its routes are not beans,
 * so the public server (Spring Cloud Gateway's handler mapping) cannot serve them: admin is reachable on
 * this port only. Failures are answered by the same {@link GatewayErrorHandler} as public requests.
 */
public final class AdminServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    private final GatewayProperties.Admin properties;
    private final HttpHandler handler;
    private volatile DisposableServer server;

    AdminServer(GatewayProperties.Admin properties, AdminHandler admin, GatewayErrorHandler errors) {
        this.properties = properties;
        this.handler = RouterFunctions.toHttpHandler(admin.routes(), HandlerStrategies.builder()
                .webFilter(new RequestIdWebFilter())
                .exceptionHandler(errors)
                .build());
    }

    @Override
    public void start() {
        server = HttpServer.create()
                .host(properties.bindAddress())
                .port(properties.port())
                .handle(new ReactorHttpHandlerAdapter(handler))
                .bindNow(Duration.ofSeconds(30));
        log.info("admin API listening on {}:{}", properties.bindAddress(), server.port());
    }

    @Override
    public void stop() {
        DisposableServer running = server;
        if (running != null) {
            running.disposeNow(Duration.ofSeconds(10));
            server = null;
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    /** The port the admin API listens on (the configured one, or the one picked for port 0). */
    public int port() {
        DisposableServer running = server;
        if (running == null) {
            throw new IllegalStateException("the admin server is not running");
        }
        return running.port();
    }
}
