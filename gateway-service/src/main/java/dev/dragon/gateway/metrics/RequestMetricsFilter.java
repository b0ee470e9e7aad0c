package dev.dragon.gateway.metrics;

import dev.dragon.contracts.http.ServerTiming;
import dev.dragon.gateway.auth.Authenticated;
import dev.dragon.support.web.DragonHeaders;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Counts every public request by route, status and tenant and times it to its response headers (for a stream,
 * the moment the first bytes can flow). A client that goes away before any response is counted as 499. The
 * same two moments go back to the client in {@code Server-Timing}, after the router's own entries:
 * {@code gateway} (arrival to forwarding: key, limits, body checks) and {@code proxy} (forwarding to the
 * upstream's response headers, the router's time and the hop in it).
 */
public final class RequestMetricsFilter implements WebFilter, Ordered {

    static final int CLIENT_CLOSED = 499;

    /** Exchange attribute: {@link System#nanoTime()} when the request was forwarded to the replica picked. */
    public static final String FORWARDED_AT = RequestMetricsFilter.class.getName() + ".forwardedAt";

    private final GatewayMetrics metrics;

    public RequestMetricsFilter(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long start = System.nanoTime();
        AtomicBoolean recorded = new AtomicBoolean();
        exchange.getResponse().beforeCommit(() -> {
            serverTiming(exchange, start);
            record(exchange, start, recorded, statusOf(exchange, 200));
            return Mono.empty();
        });
        return chain.filter(exchange)
                .doOnCancel(() -> record(exchange, start, recorded, CLIENT_CLOSED))
                .doFinally(signal -> record(exchange, start, recorded, statusOf(exchange, 500)));
    }

    private static void serverTiming(ServerWebExchange exchange, long start) {
        long now = System.nanoTime();
        Long forwarded = exchange.getAttribute(FORWARDED_AT);
        String own = forwarded == null ? ServerTiming.entry("gateway", now - start)
                : ServerTiming.entry("gateway", forwarded - start) + ", " + ServerTiming.entry("proxy", now - forwarded);
        HttpHeaders headers = exchange.getResponse().getHeaders();
        String upstream = headers.getFirst(DragonHeaders.SERVER_TIMING);
        headers.set(DragonHeaders.SERVER_TIMING, upstream == null ? own : upstream + ", " + own);
    }

    private static int statusOf(ServerWebExchange exchange, int fallback) {
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        return status != null ? status.value() : fallback;
    }

    private void record(ServerWebExchange exchange, long start, AtomicBoolean recorded, int status) {
        if (!recorded.compareAndSet(false, true)) {
            return;
        }
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        Authenticated auth = exchange.getAttribute(Authenticated.ATTRIBUTE);
        metrics.request(route != null ? route.getId() : GatewayMetrics.NO_ROUTE, status,
                auth != null ? auth.tenant() : null, System.nanoTime() - start);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }
}
