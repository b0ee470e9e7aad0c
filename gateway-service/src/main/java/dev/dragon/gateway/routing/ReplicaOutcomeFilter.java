package dev.dragon.gateway.routing;

import dev.dragon.gateway.metrics.RequestMetricsFilter;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Tells {@link ReplicaHealth} how each call to the replica the load balancer just picked went: success once
 * response headers arrived, a failure when connecting or the exchange broke before that. Runs right after the
 * load balancer (so inside {@link ConnectRetryFilter}: every attempt is reported against its own replica).
 */
final class ReplicaOutcomeFilter implements GlobalFilter, Ordered {

    private final ReplicaHealth health;

    ReplicaOutcomeFilter(ReplicaHealth health) {
        this.health = health;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Response<ServiceInstance> picked = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR);
        if (picked == null || !picked.hasServer()) {
            return chain.filter(exchange);
        }
        String replica = picked.getServer().getInstanceId();
        long start = System.nanoTime();
        exchange.getAttributes().put(RequestMetricsFilter.FORWARDED_AT, start);   // the last attempt's
        return chain.filter(exchange)
                .doOnSuccess(done -> health.succeeded(replica, System.nanoTime() - start))
                .doOnError(failure -> health.failed(replica, System.nanoTime() - start, failure,
                        TransportFailure.notConnected(failure)));
    }

    @Override
    public int getOrder() {
        return ReactiveLoadBalancerClientFilter.LOAD_BALANCER_CLIENT_FILTER_ORDER + 1;
    }
}
