package dev.dragon.gateway.config;

import dev.dragon.contracts.openai.OpenAiJson;
import dev.dragon.gateway.auth.ApiKeyHasher;
import dev.dragon.gateway.auth.AuthenticationFilter;
import dev.dragon.gateway.auth.Authenticator;
import dev.dragon.gateway.auth.DevKeyBootstrap;
import dev.dragon.gateway.auth.KeyStore;
import dev.dragon.gateway.error.GatewayErrorHandler;
import dev.dragon.gateway.metrics.GatewayMetrics;
import dev.dragon.gateway.metrics.RequestMetricsFilter;
import dev.dragon.gateway.ratelimit.KnownRefusals;
import dev.dragon.gateway.ratelimit.LeasedLimits;
import dev.dragon.gateway.ratelimit.OverLimitFilter;
import dev.dragon.gateway.ratelimit.RateLimitFilter;
import dev.dragon.gateway.ratelimit.RateLimits;
import dev.dragon.gateway.validation.RequestBodyFilter;
import dev.dragon.gateway.warmup.GatewayWarmUp;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.TimeoutOptions;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;

/** The edge's components, built from {@link GatewayProperties}. Routes are in the routing package. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewayProperties.class)
public class GatewayConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    GatewayJson gatewayJson() {
        return GatewayJson.create();
    }

    @Bean
    OpenAiJson openAiJson() {
        return new OpenAiJson();
    }

    @Bean
    GatewayMetrics gatewayMetrics(MeterRegistry registry, GatewayProperties properties) {
        return new GatewayMetrics(registry, properties.metrics().maxTenantLabels());
    }

    @Bean
    RequestMetricsFilter requestMetricsFilter(GatewayMetrics metrics) {
        return new RequestMetricsFilter(metrics);
    }

    @Bean
    GatewayErrorHandler gatewayErrorHandler(OpenAiJson json, GatewayMetrics metrics, GatewayProperties properties) {
        return new GatewayErrorHandler(json, metrics, properties.upstream().circuitBreaker().waitInOpen());
    }

    /** Redis calls fail fast instead of queueing while Redis is away, so requests degrade instead of hanging. */
    @Bean
    LettuceClientConfigurationBuilderCustomizer failFastRedis(GatewayProperties properties) {
        return builder -> builder
                .commandTimeout(properties.auth().redisTimeout())
                .clientOptions(ClientOptions.builder()
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .timeoutOptions(TimeoutOptions.enabled(properties.auth().redisTimeout()))
                        .build());
    }

    @Bean
    ApiKeyHasher apiKeyHasher(GatewayProperties properties) {
        return new ApiKeyHasher(properties.auth().pepper());
    }

    @Bean
    KeyStore keyStore(ReactiveStringRedisTemplate redis, ApiKeyHasher hasher, GatewayJson json,
                      GatewayProperties properties, Clock clock) {
        return new KeyStore(redis, hasher, json, properties.auth().keyPrefix(), clock);
    }

    @Bean
    Authenticator authenticator(KeyStore store, ApiKeyHasher hasher, GatewayProperties properties, Clock clock) {
        GatewayProperties.Auth auth = properties.auth();
        return new Authenticator(store, hasher, properties.defaultPlan().toPlan(), auth.cacheTtl(), auth.maxStale(),
                auth.redisTimeout(), auth.cacheSize(), clock);
    }

    @Bean
    AuthenticationFilter authenticationFilter(Authenticator authenticator) {
        return new AuthenticationFilter(authenticator);
    }

    @Bean
    DevKeyBootstrap devKeyBootstrap(KeyStore store, GatewayProperties properties) {
        GatewayProperties.Bootstrap bootstrap = properties.bootstrap();
        return new DevKeyBootstrap(store, bootstrap.devKey(), bootstrap.tenant(), properties.defaultPlan().toPlan());
    }

    /** Real requests through this gateway before it reports ready, so the first client request is not its first. */
    @Bean
    GatewayWarmUp gatewayWarmUp(GatewayProperties properties, KeyStore store, Authenticator authenticator,
                                GatewayJson json, Environment environment, MeterRegistry registry) {
        return new GatewayWarmUp(properties.warmUp(), store, authenticator, json, environment, registry);
    }

    /** Both per-minute limits of a tenant, in one Redis script call per request. */
    @Bean
    RateLimits rateLimits(ReactiveStringRedisTemplate redis, GatewayProperties properties) {
        return new RateLimits(redis, properties.auth().keyPrefix());
    }

    /** Timeouts for client connections on the public port (idle, between reads, whole request). */
    @Bean
    NettyServerCustomizer clientConnectionTimeouts(GatewayProperties properties) {
        GatewayProperties.Connections c = properties.connections();
        return server -> server.idleTimeout(c.idleTimeout()).readTimeout(c.readTimeout())
                .requestTimeout(c.requestTimeout());
    }

    /** Slices of the limits held by this replica, so that most requests skip the Redis round trip. */
    @Bean
    LeasedLimits leasedLimits(RateLimits limits, GatewayProperties properties) {
        GatewayProperties.Lease lease = properties.lease();
        return new LeasedLimits(limits, lease.fraction(), lease.ttl(), lease.outageShare(),
                properties.auth().cacheSize(), System::nanoTime);
    }

    /** Tenants this replica knows to be over their request limit (at most as many as cached keys). */
    @Bean
    KnownRefusals knownRefusals(GatewayProperties properties) {
        return new KnownRefusals(properties.auth().cacheSize(), System::nanoTime);
    }

    @Bean
    OverLimitFilter overLimitFilter(KnownRefusals refusals, RateLimits limits) {
        return new OverLimitFilter(refusals, limits);
    }

    @Bean
    RequestBodyFilter requestBodyFilter(OpenAiJson json, GatewayProperties properties) {
        GatewayProperties.Limits limits = properties.limits();
        return new RequestBodyFilter(json, Math.toIntExact(limits.maxBodySize().toBytes()), limits.maxStopSequences(),
                limits.charsPerToken(), limits.routerDefaultMaxTokens());
    }

    @Bean
    RateLimitFilter rateLimitFilter(RateLimits limits, LeasedLimits leased, KnownRefusals refusals,
                                    GatewayJson json) {
        return new RateLimitFilter(limits, leased, refusals, json.mapper());
    }

    /** CORS for the listed origins (none by default: then every cross-origin browser call is left to the browser). */
    @Bean
    CorsWebFilter corsWebFilter(GatewayProperties properties) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        GatewayProperties.Cors cors = properties.cors();
        if (!cors.allowedOrigins().isEmpty()) {
            CorsConfiguration config = new CorsConfiguration();
            config.setAllowedOrigins(cors.allowedOrigins());
            config.setAllowedMethods(cors.allowedMethods());
            config.setAllowedHeaders(cors.allowedHeaders());
            config.setExposedHeaders(List.of("x-dragon-request-id", "x-dragon-model-version",
                    "x-dragon-adapter-version", "x-dragon-cache", "x-ratelimit-limit-requests",
                    "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests", "x-ratelimit-limit-tokens",
                    "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens", "Retry-After"));
            config.setMaxAge(cors.maxAge());
            source.registerCorsConfiguration("/v1/**", config);
        }
        return new CorsWebFilter(source);
    }
}
