package dev.dragon.gateway.ratelimit;

import dev.dragon.gateway.auth.Authenticated;
import dev.dragon.gateway.error.RateLimitedException;
import dev.dragon.gateway.error.RateLimitedException.Kind;
import dev.dragon.gateway.validation.RequestBodyFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tokens per minute: a generation request reserves its estimated prompt plus its {@code max_tokens}
 * (other requests only read the budget for the headers); when its response has been relayed, the
 * reservation is corrected to the actual {@code usage} ({@link UsageTrackingResponse}). Runs before Spring
 * Cloud Gateway writes the response, so the relayed body passes through the tracker.
 */
public final class TokenBudgetFilter implements GlobalFilter, Ordered {

    public static final int ORDER = RequestBodyFilter.ORDER + 100;

    static {
        if (ORDER >= NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER) {
            throw new IllegalStateException("the token budget must wrap the response before it is written");
        }
    }

    private final TokenBudget budget;
    private final JsonMapper mapper;

    public TokenBudgetFilter(TokenBudget budget, JsonMapper mapper) {
        this.budget = budget;
        this.mapper = mapper;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Authenticated auth = exchange.getRequiredAttribute(Authenticated.ATTRIBUTE);
        TokenDemand demand = exchange.getAttribute(TokenDemand.ATTRIBUTE);
        long tokensPerMinute = auth.plan().tokensPerMinute();
        return budget.take(auth.tenant(), tokensPerMinute, demand == null ? 0 : demand.reserved()).flatMap(quota -> {
            RateLimitHeaders.write(exchange.getResponse().getHeaders(), RateLimitHeaders.TOKENS, quota);
            if (!quota.allowed()) {
                return Mono.error(new RateLimitedException(Kind.TOKENS, auth.tenant(), quota.limit(),
                        quota.retryAfterSeconds()));
            }
            if (demand == null) {
                return chain.filter(exchange);
            }
            // Tracked even when Redis did not answer: the usage chunk added for counting must still be removed.
            UsageTrackingResponse tracked = new UsageTrackingResponse(exchange.getResponse(), demand, mapper,
                    actual -> budget.adjust(auth.tenant(), tokensPerMinute, demand.reserved() - actual).subscribe());
            return chain.filter(exchange.mutate().response(tracked).build())
                    .doOnError(e -> tracked.abandon())
                    .doOnCancel(tracked::abandon);
        });
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
