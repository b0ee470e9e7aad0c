package dev.dragon.gateway.config;

import dev.dragon.gateway.auth.TenantPlan;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Everything gateway-service reads from configuration ({@code dragon.gateway.*}). Library settings (Redis
 * address under {@code spring.data.redis.*}, ports under {@code server.port} / {@code management.server.port})
 * stay where Spring Boot looks for them.
 */
@Validated
@ConfigurationProperties("dragon.gateway")
public record GatewayProperties(
        @Valid @NotNull @DefaultValue Auth auth,
        @Valid @NotNull @DefaultValue Admin admin,
        @Valid @NotNull @DefaultValue Bootstrap bootstrap,
        @Valid @NotNull @DefaultValue Plan defaultPlan,
        @Valid @NotNull @DefaultValue Limits limits,
        @Valid @NotNull @DefaultValue Lease lease,
        @Valid @NotNull @DefaultValue Connections connections,
        @Valid @NotNull @DefaultValue Upstream upstream,
        @Valid @NotNull @DefaultValue Cors cors,
        @Valid @NotNull @DefaultValue Metrics metrics,
        @Valid @NotNull @DefaultValue WarmUp warmUp) {

    /**
     * API-key authentication.
     *
     * @param pepper      server-side secret of the HMAC-SHA256 under which keys are stored (set it from a secret
     *                    in production; changing it invalidates every key)
     * @param cacheTtl    how long a replica trusts a key/plan it read from Redis (bounds how late a revocation or
     *                    plan change made on another replica takes effect here)
     * @param maxStale    while Redis is unreachable, how long past its {@code cacheTtl} a cached key is still served
     *                    (bounds how long a key revoked during an outage keeps working; 503 after)
     * @param cacheSize   most keys cached per replica
     * @param redisTimeout longest wait on one Redis call before the request is served degraded
     * @param keyPrefix   prefix of every Redis key the gateway owns
     */
    public record Auth(@NotBlank String pepper,
                       @NotNull @DefaultValue("5s") Duration cacheTtl,
                       @NotNull @DefaultValue("60s") Duration maxStale,
                       @Min(1) @DefaultValue("10000") int cacheSize,
                       @NotNull @DefaultValue("500ms") Duration redisTimeout,
                       @NotBlank @DefaultValue("dragon:gw:") String keyPrefix) {
    }

    /**
     * The admin API (its own HTTP server, never the public port).
     *
     * @param port        9081 in deployments; 0 picks a free port
     * @param bindAddress interface to listen on
     * @param token       the admin credential ({@code Authorization: Bearer <token>}); blank refuses every call
     */
    public record Admin(@Min(0) @Max(65535) @DefaultValue("9081") int port,
                        @NotBlank @DefaultValue("0.0.0.0") String bindAddress,
                        @DefaultValue("") String token) {
    }

    /**
     * A key created at startup for local development ({@code ./dragon up}); ignored when blank.
     *
     * @param devKey the plain key clients will send (stored hashed like any other)
     * @param tenant the tenant it belongs to (given {@link #defaultPlan()} unless it already has a plan)
     */
    public record Bootstrap(@DefaultValue("") String devKey, @NotBlank @DefaultValue("dev") String tenant) {
    }

    /** The plan a tenant gets when its first key is created without one. */
    public record Plan(@Min(1) @DefaultValue("60") int requestsPerMinute,
                       @Min(1) @DefaultValue("100000") int tokensPerMinute,
                       @Min(1) @DefaultValue("1024") int maxTokensPerRequest,
                       @NotEmpty @DefaultValue("*") List<String> allowedModels) {

        public TenantPlan toPlan() {
            return new TenantPlan(requestsPerMinute, tokensPerMinute, maxTokensPerRequest, allowedModels);
        }
    }

    /**
     * Request limits checked before anything is forwarded.
     *
     * @param maxBodySize      largest request body (413 above it)
     * @param maxStopSequences most {@code stop} strings
     * @param charsPerToken    prompt tokens are estimated on entry as characters / this ratio
     * @param routerDefaultMaxTokens the {@code max_tokens} router-service applies when a request has none (its
     *                         {@code dragon.router.api.default-max-tokens}): a request without one whose plan caps
     *                         it lower is sent with the cap, so the plan holds
     */
    public record Limits(@NotNull @DefaultValue("1MB") DataSize maxBodySize,
                         @Min(0) @DefaultValue("4") int maxStopSequences,
                         @DecimalMin("0.5") @DefaultValue("4.0") double charsPerToken,
                         @Min(1) @DefaultValue("256") int routerDefaultMaxTokens) {
    }

    /**
     * Slices of each tenant's rate limits held by this replica, so that most requests are admitted without a
     * Redis round trip (see {@code LeasedLimits}): over- and under-admission each at most {@code fraction} of a
     * limit per replica; and the share of each limit a replica admits alone while Redis is away.
     *
     * @param fraction share of a minute's allowance taken at a time (0: every request is weighed in Redis; plans
     *                 whose share is under 2 requests always are)
     * @param ttl      longest a slice is held unused before its rest is given back
     * @param outageShare share of each limit one replica admits on its own while Redis cannot be asked (1: the
     *                 whole plan per replica, so N replicas admit up to N times it; 1/N keeps the plan; 0 refuses)
     */
    public record Lease(@DecimalMin("0") @DecimalMax("0.25") @DefaultValue("0.01") double fraction,
                        @NotNull @DefaultValue("2s") Duration ttl,
                        @DecimalMin("0") @DecimalMax("1") @DefaultValue("1") double outageShare) {
    }

    /**
     * Client connections on the public port: a slow or silent client cannot hold one (and its memory) for
     * ever before it is even authenticated.
     *
     * @param idleTimeout    a connection waiting for its (next) request is closed after this long
     * @param readTimeout    longest gap between two reads while a request is arriving
     * @param requestTimeout longest time to receive a whole request (headers and body)
     */
    public record Connections(@NotNull @DefaultValue("60s") Duration idleTimeout,
                              @NotNull @DefaultValue("10s") Duration readTimeout,
                              @NotNull @DefaultValue("30s") Duration requestTimeout) {
    }

    /**
     * router-service, where every accepted request goes.
     *
     * @param uris           router replicas, balanced round robin
     * @param connectTimeout TCP connect timeout (a refused or timed-out connect is retried on the next replica)
     * @param responseTimeout longest wait for response headers (non-streaming answers arrive whole)
     * @param retries        extra attempts for a request no router answered (refused, or broken before any response)
     * @param circuitBreaker the breaker of each route, which opens only when no replica can be reached
     * @param ejection       outlier ejection of single replicas
     */
    public record Upstream(@NotEmpty @DefaultValue("http://localhost:8081") List<URI> uris,
                           @NotNull @DefaultValue("2s") Duration connectTimeout,
                           @NotNull @DefaultValue("300s") Duration responseTimeout,
                           @Min(0) @DefaultValue("2") int retries,
                           @Valid @NotNull @DefaultValue CircuitBreaker circuitBreaker,
                           @Valid @NotNull @DefaultValue Ejection ejection) {
    }

    /**
     * Passive health of each router replica (a Resilience4j breaker per replica, like Envoy's outlier
     * detection): a refused connection ejects the replica at once, other transport failures (resets, no
     * headers) eject it when they reach {@code failureRateThreshold} percent of the last {@code slidingWindowSize}
     * calls. An ejected replica gets no requests for {@code ejectFor}, then {@code trialCalls} requests decide.
     * While every replica is ejected the load balancer uses all of them (panic mode) and the route's breaker
     * decides.
     */
    public record Ejection(@Min(1) @Max(100) @DefaultValue("50") float failureRateThreshold,
                           @Min(1) @DefaultValue("10") int slidingWindowSize,
                           @Min(1) @DefaultValue("5") int minimumCalls,
                           @NotNull @DefaultValue("5s") Duration ejectFor,
                           @Min(1) @DefaultValue("1") int trialCalls) {
    }

    /**
     * The circuit breaker in front of router-service (Resilience4j, count-based window).
     *
     * @param failureRateThreshold  percentage of failed calls that opens it
     * @param slidingWindowSize     calls in the window
     * @param minimumCalls          calls before the rate is judged
     * @param waitInOpen            how long it stays open before letting trial calls through
     * @param halfOpenCalls         trial calls in the half-open state
     */
    public record CircuitBreaker(@Min(1) @Max(100) @DefaultValue("50") float failureRateThreshold,
                                 @Min(1) @DefaultValue("20") int slidingWindowSize,
                                 @Min(1) @DefaultValue("10") int minimumCalls,
                                 @NotNull @DefaultValue("10s") Duration waitInOpen,
                                 @Min(1) @DefaultValue("3") int halfOpenCalls) {
    }

    /** CORS for browser apps; no origin is allowed unless listed. */
    public record Cors(@DefaultValue List<String> allowedOrigins,
                       @DefaultValue({"GET", "POST"}) List<String> allowedMethods,
                       @DefaultValue({"Authorization", "Content-Type", "x-dragon-request-id"}) List<String> allowedHeaders,
                       @NotNull @DefaultValue("1h") Duration maxAge) {
    }

    /** @param maxTenantLabels tenants that keep their own metric label (later ones are {@code other}) */
    public record Metrics(@Min(0) @DefaultValue("100") int maxTenantLabels) {
    }

    /**
     * Requests the gateway sends through itself before it reports ready (see {@code warmup.GatewayWarmUp}).
     *
     * @param enabled whether to warm up at all
     * @param rounds  rounds of the warm-up calls (chat, streamed chat, completion, models, a refused body)
     * @param repeats answers repeated after the rounds, alternately whole and streamed, all router cache hits:
     *                the key, limit, proxy and relay path many times without the model, so that the JIT has
     *                compiled it before the first user request (a few milliseconds each)
     * @param timeout longest wait for the routers to answer; after it the gateway reports ready anyway
     */
    public record WarmUp(@DefaultValue("true") boolean enabled,
                         @Min(1) @Max(64) @DefaultValue("3") int rounds,
                         @Min(0) @Max(100_000) @DefaultValue("1000") int repeats,
                         @NotNull @DefaultValue("60s") Duration timeout) {
    }
}
