package dev.dragon.gateway.ratelimit;

import dev.dragon.gateway.auth.Authenticated;
import dev.dragon.gateway.auth.AuthenticationFilter;
import dev.dragon.gateway.error.RateLimitedException;
import dev.dragon.gateway.error.RateLimitedException.Kind;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Requests per minute, checked right after authentication so a tenant over its limit costs no body reading.
 * A refusal also reports the token budget's headers (read without taking anything).
 */
public final class RequestLimitFilter implements GlobalFilter, Ordered {

    public static final int ORDER = AuthenticationFilter.ORDER + 100;

    private final RequestRateLimiter limiter;
    private final TokenBudget tokens;

    public RequestLimitFilter(RequestRateLimiter limiter, TokenBudget tokens) {
        this.limiter = limiter;
        this.tokens = tokens;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Authenticated auth = exchange.getRequiredAttribute(Authenticated.ATTRIBUTE);
        return limiter.admit(auth.tenant(), auth.plan()).flatMap(quota -> {
            RateLimitHeaders.write(exchange.getResponse().getHeaders(), RateLimitHeaders.REQUESTS, quota);
            if (quota.allowed()) {
                return chain.filter(exchange);
            }
            return tokens.take(auth.tenant(), auth.plan().tokensPerMinute(), 0).flatMap(tokenQuota -> {
                RateLimitHeaders.write(exchange.getResponse().getHeaders(), RateLimitHeaders.TOKENS, tokenQuota);
                return Mono.error(new RateLimitedException(Kind.REQUESTS, auth.tenant(), quota.limit(),
                        quota.retryAfterSeconds()));
            });
        });
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
