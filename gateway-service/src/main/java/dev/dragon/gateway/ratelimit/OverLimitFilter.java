package dev.dragon.gateway.ratelimit;

import dev.dragon.gateway.auth.Authenticated;
import dev.dragon.gateway.auth.AuthenticationFilter;
import dev.dragon.gateway.error.GatewayException;
import dev.dragon.gateway.error.RateLimitedException;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Right after authentication: a tenant this replica knows to be over its request limit ({@link KnownRefusals})
 * gets its 429 before its body is read and without a Redis call. Everyone else goes on to the body checks and
 * then to {@link RateLimitFilter}, which weighs both limits in one Redis call. A request the body checks refuse
 * (400, 403, 413, 415) never reaches that filter, so it is charged here: it still costs one request, and a
 * tenant already over its request limit gets the 429, not the body's error. Bad bodies are not a way around
 * the limit.
 */
public final class OverLimitFilter implements GlobalFilter, Ordered {

    public static final int ORDER = AuthenticationFilter.ORDER + 100;

    private final KnownRefusals refusals;
    private final RateLimits limits;

    public OverLimitFilter(KnownRefusals refusals, RateLimits limits) {
        this.refusals = refusals;
        this.limits = limits;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Authenticated auth = exchange.getRequiredAttribute(Authenticated.ATTRIBUTE);
        RateLimits.Admission refused = refusals.refusal(auth.tenant(), auth.plan().requestsPerMinute());
        if (refused != null) {
            return Mono.error(RateLimitFilter.refuse(exchange, auth, refused));
        }
        return chain.filter(exchange).onErrorResume(e -> refusedBeforeAdmission(exchange, e),
                e -> chargeRefusedRequest(exchange, auth, (GatewayException) e));
    }

    private static boolean refusedBeforeAdmission(ServerWebExchange exchange, Throwable e) {
        return e instanceof GatewayException g && g.status().is4xxClientError() && !(e instanceof RateLimitedException)
                && exchange.getAttribute(RateLimitFilter.WEIGHED) == null;
    }

    /** One request from the bucket (no tokens); the 429 wins over the body's error when the bucket is empty. */
    private Mono<Void> chargeRefusedRequest(ServerWebExchange exchange, Authenticated auth, GatewayException error) {
        return limits.admit(auth.tenant(), auth.plan(), 0).flatMap(admission -> {
            refusals.learn(auth.tenant(), auth.plan().requestsPerMinute(), admission);
            if (!admission.requests().allowed()) {
                return Mono.error(RateLimitFilter.refuse(exchange, auth, admission));
            }
            return Mono.error(error);
        });
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
