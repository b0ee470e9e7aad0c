package dev.dragon.gateway.routing;

import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Retries a request on the next router replica only when the connection could not be made (refused or timed
 * out connecting): then no router has seen the request, so even a POST that starts a generation is safe to
 * send again. Anything after the connection (a reset, a timeout waiting for headers, an error status) is
 * not retried: the router may already be generating, and a stream is never restarted once bytes flowed.
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
                        .filter(ConnectRetryFilter::notConnected)
                        .doBeforeRetry(signal -> ServerWebExchangeUtils.reset(exchange))
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
    }

    /** True when the failure happened while connecting, before any byte of the request was sent. */
    static boolean notConnected(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof ConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
