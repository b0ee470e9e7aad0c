package dev.dragon.gateway.ratelimit;

import dev.dragon.gateway.auth.Authenticated;
import dev.dragon.gateway.auth.AuthenticationFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Right after authentication: a tenant this replica knows to be over its request limit ({@link KnownRefusals})
 * gets its 429 before its body is read and without a Redis call. Everyone else goes on to the body checks and
 * then to {@link RateLimitFilter}, which weighs both limits in one Redis call.
 */
public final class OverLimitFilter implements GlobalFilter, Ordered {

    public static final int ORDER = AuthenticationFilter.ORDER + 100;

    private final KnownRefusals refusals;

    public OverLimitFilter(KnownRefusals refusals) {
        this.refusals = refusals;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Authenticated auth = exchange.getRequiredAttribute(Authenticated.ATTRIBUTE);
        RateLimits.Admission refused = refusals.refusal(auth.tenant(), auth.plan().requestsPerMinute());
        if (refused == null) {
            return chain.filter(exchange);
        }
        return Mono.error(RateLimitFilter.refuse(exchange, auth, refused));
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
