package dev.dragon.gateway.routing;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Retries a request on another router replica when no router answered it: the connection could not be made
 * (refused, or timed out connecting), or it broke (reset, closed) before any byte of a response came back —
 * a router that was SIGKILLed as the request arrived on a pooled connection. In both cases nothing has reached
 * the client, and no router can still be working on it (a router that breaks the connection cancels the
 * sequence, and a dead one has nothing to finish). Never retried: a response timeout (the router may still be
 * generating) and anything once response headers arrived (a stream is never restarted once bytes flowed).
 * {@link ReplicaOutcomeFilter} has ejected a dead replica by the time the retry asks the load balancer.
 * <p>
 * Not Spring Cloud Gateway's Retry filter: that one turns on request-body caching for its route, which
 * buffers the whole body before any global filter runs (before authentication and without a size limit).
 * This filter relies on the body having been read, bounded, by the body filter, and uses the library's
 * {@link ServerWebExchangeUtils#reset} between attempts exactly like the Retry filter does.
 */
public final class ConnectRetryFilter implements GatewayFilter {

    private final int retries;

    public ConnectRetryFilter(int retries) {
        this.retries = retries;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        if (retries == 0) {
            return chain.filter(exchange);
        }
        return Mono.defer(() -> chain.filter(exchange))
                .retryWhen(Retry.max(retries)
                        .filter(failure -> retryable(failure, responseStarted(exchange)))
                        .doBeforeRetry(signal -> ServerWebExchangeUtils.reset(exchange))
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
    }

    /** True when {@code failure} means no router answered: not connected, or broken before a response began. */
    static boolean retryable(Throwable failure, boolean responseStarted) {
        return TransportFailure.notConnected(failure) || (!responseStarted && TransportFailure.broken(failure));
    }

    private static boolean responseStarted(ServerWebExchange exchange) {
        return exchange.getResponse().isCommitted()
                || exchange.getAttribute(ServerWebExchangeUtils.CLIENT_RESPONSE_ATTR) != null;
    }
}
