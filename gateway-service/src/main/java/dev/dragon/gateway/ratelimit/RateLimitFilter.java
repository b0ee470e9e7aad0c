package dev.dragon.gateway.ratelimit;

import dev.dragon.gateway.auth.Authenticated;
import dev.dragon.gateway.error.RateLimitedException;
import dev.dragon.gateway.error.RateLimitedException.Kind;
import dev.dragon.gateway.validation.RequestBodyFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Both per-minute limits at once ({@link LeasedLimits}: from this replica's slice, else in one Redis call), once
 * the body has been checked (so the token demand is known): one
 * request from the request bucket, and a generation's estimated prompt plus {@code max_tokens} from the token
 * budget (other requests only read the budget, for the headers). Every answer carries both limits'
 * {@code x-ratelimit-*} headers; a refusal is a 429 of the limit that refused ({@code requests} first). When
 * the response has been relayed, the token reservation is corrected to the actual {@code usage}
 * ({@link UsageTrackingResponse}). Runs before Spring Cloud Gateway writes the response, so the relayed body
 * passes through the tracker.
 */
public final class RateLimitFilter implements GlobalFilter, Ordered {

    public static final int ORDER = RequestBodyFilter.ORDER + 100;

    /** Exchange attribute set once this filter has asked for the request's admission. */
    public static final String WEIGHED = RateLimitFilter.class.getName() + ".weighed";

    static {
        if (ORDER >= NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER) {
            throw new IllegalStateException("the token budget must wrap the response before it is written");
        }
    }

    private final RateLimits limits;
    private final LeasedLimits leased;
    private final KnownRefusals refusals;
    private final JsonMapper mapper;

    public RateLimitFilter(RateLimits limits, LeasedLimits leased, KnownRefusals refusals, JsonMapper mapper) {
        this.limits = limits;
        this.leased = leased;
        this.refusals = refusals;
        this.mapper = mapper;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Authenticated auth = exchange.getRequiredAttribute(Authenticated.ATTRIBUTE);
        TokenDemand demand = exchange.getAttribute(TokenDemand.ATTRIBUTE);
        exchange.getAttributes().put(WEIGHED, Boolean.TRUE);
        return leased.admit(auth.tenant(), auth.plan(), demand == null ? 0 : demand.reserved()).flatMap(admission -> {
            refusals.learn(auth.tenant(), auth.plan().requestsPerMinute(), admission);
            if (!admission.requests().allowed() || !admission.tokens().allowed()) {
                return Mono.error(refuse(exchange, auth, admission));
            }
            writeHeaders(exchange.getResponse().getHeaders(), admission);
            if (demand == null) {
                return chain.filter(exchange);
            }
            // Tracked even when Redis did not answer: the usage chunk added for counting must still be removed.
            long tokensPerMinute = auth.plan().tokensPerMinute();
            UsageTrackingResponse tracked = new UsageTrackingResponse(exchange.getResponse(), demand, mapper,
                    actual -> limits.adjust(auth.tenant(), tokensPerMinute, demand.reserved() - actual).subscribe());
            return chain.filter(exchange.mutate().response(tracked).build())
                    .doOnError(e -> tracked.abandon())
                    .doOnCancel(tracked::abandon);
        });
    }

    /** Writes both limits' headers and returns the 429 of the limit that refused. */
    static RateLimitedException refuse(ServerWebExchange exchange, Authenticated auth, RateLimits.Admission admission) {
        writeHeaders(exchange.getResponse().getHeaders(), admission);
        Quota refused = admission.requests().allowed() ? admission.tokens() : admission.requests();
        Kind kind = admission.requests().allowed() ? Kind.TOKENS : Kind.REQUESTS;
        return new RateLimitedException(kind, auth.tenant(), refused.limit(), refused.retryAfterSeconds());
    }

    private static void writeHeaders(HttpHeaders headers, RateLimits.Admission admission) {
        RateLimitHeaders.write(headers, RateLimitHeaders.REQUESTS, admission.requests());
        RateLimitHeaders.write(headers, RateLimitHeaders.TOKENS, admission.tokens());
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
