package dev.dragon.learning.admin;

import dev.dragon.support.web.RequestIdWebFilter;
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
 * The admin API on its own port ({@code dragon.learning.admin.port}, loopback by default), apart from the
 * service port that serves health and metrics: operators reach it, traffic never does.
 */
public final class AdminServer implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    private final AdminRoutes routes;
    private final String host;
    private final int port;
    private volatile DisposableServer server;

    public AdminServer(AdminRoutes routes, String host, int port) {
        this.routes = routes;
        this.host = host;
        this.port = port;
    }

    /** The bound port (after start). */
    public int port() {
        DisposableServer s = server;
        if (s == null) {
            throw new IllegalStateException("the admin server is not running");
        }
        return s.port();
    }

    @Override
    public void start() {
        HttpHandler handler = RouterFunctions.toHttpHandler(routes.routes(),
                HandlerStrategies.builder().webFilter(new RequestIdWebFilter()).build());
        server = HttpServer.create().host(host).port(port).handle(new ReactorHttpHandlerAdapter(handler)).bindNow();
        LOG.info("admin API listening on {}:{}", host, server.port());
    }

    @Override
    public void stop() {
        DisposableServer s = server;
        if (s != null) {
            s.disposeNow();
            server = null;
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }
}
