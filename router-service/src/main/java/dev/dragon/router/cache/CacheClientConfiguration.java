package dev.dragon.router.cache;

import dev.dragon.core.bundle.ModelBundle;
import dev.dragon.router.config.RouterProperties;
import dev.dragon.support.grpc.RequestIdInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The router's cache clients: {@code cacheServiceChannel} (one gRPC channel to cache-service, round-robin
 * over its addresses, carrying the request id), {@code responseCacheClient} and {@code kvStateCacheClient}
 * (each behind its own circuit breaker). Settings come from a {@link CacheClientProperties} bean when one
 * exists (the router's properties record exposes its nested {@code cache}), else are bound from
 * {@code dragon.router.cache.*} directly. The channel starts connecting at startup; it never blocks startup.
 */
@Configuration(proxyBeanMethods = false)
public class CacheClientConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(CacheClientConfiguration.class);
    private static final String PREFIX = "dragon.router.cache";

    static CacheClientProperties settings(ObjectProvider<CacheClientProperties> provided, Environment environment) {
        return provided.getIfAvailable(() -> Binder.get(environment).bindOrCreate(PREFIX, CacheClientProperties.class));
    }

    @Bean(destroyMethod = "shutdownNow")
    ManagedChannel cacheServiceChannel(ObjectProvider<CacheClientProperties> provided, Environment environment) {
        CacheClientProperties settings = settings(provided, environment);
        LOG.info("cache-service at {} ({}), response calls {} ms, KV transfers {} ms, KV states in {}, {}-token blocks",
                settings.target(), settings.enabled() ? "enabled" : "disabled", settings.timeout().toMillis(),
                settings.kvTimeout().toMillis(), settings.precision(), settings.blockSize());
        return channel(settings);
    }

    @Bean
    ResponseCacheClient responseCacheClient(ManagedChannel cacheServiceChannel, ObjectProvider<CacheClientProperties> provided,
                                            Environment environment, MeterRegistry registry) {
        return responseClient(cacheServiceChannel, settings(provided, environment), registry);
    }

    @Bean
    KvStateCacheClient kvStateCacheClient(ManagedChannel cacheServiceChannel, ObjectProvider<CacheClientProperties> provided,
                                          Environment environment, MeterRegistry registry, ModelBundle bundle,
                                          RouterProperties router) {
        CacheClientProperties settings = settings(provided, environment);
        RouterProperties.Gating gating = router.engine().gating();
        String gatingVersion = PromptPrefixHasher.gatingVersion(gating.mode() == RouterProperties.GatingMode.ADAPTIVE,
                bundle.architecture().topK(), gating.topP(), gating.kMin(), gating.kMax());
        PromptPrefixHasher hasher = new PromptPrefixHasher(bundle.manifest().name() + "@" + bundle.manifest().version(),
                gatingVersion, settings.blockSize());
        return kvClient(cacheServiceChannel, settings, registry, hasher);
    }

    /**
     * Plaintext, round-robin over the target's addresses, carrying the caller's request id. Starts
     * connecting at once (when enabled), so the first request does not pay for the connection.
     */
    static ManagedChannel channel(CacheClientProperties settings) {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(settings.target()).usePlaintext()
                .defaultLoadBalancingPolicy("round_robin")
                .intercept(RequestIdInterceptors.client())
                .build();
        if (settings.enabled()) {
            channel.getState(true);
        }
        return channel;
    }

    static ResponseCacheClient responseClient(ManagedChannel channel, CacheClientProperties settings, MeterRegistry registry) {
        return new ResponseCacheClient(channel, guard("response", channel, settings, registry), settings, Clock.systemUTC());
    }

    static KvStateCacheClient kvClient(ManagedChannel channel, CacheClientProperties settings, MeterRegistry registry,
                                       PromptPrefixHasher hasher) {
        return new KvStateCacheClient(channel, guard("kv", channel, settings, registry), hasher, settings);
    }

    /**
     * A breaker per cache. When it lets trial calls through, the channel's reconnect back-off (which grows
     * to minutes during a long outage) is reset, so the trial really tries to connect.
     */
    private static CacheCallGuard guard(String cache, ManagedChannel channel, CacheClientProperties settings,
                                        MeterRegistry registry) {
        return new CacheCallGuard(cache, settings.breaker(), settings.logInterval(), registry, channel::resetConnectBackoff);
    }
}
