package dev.dragon.router.cache;

import dev.dragon.core.tensor.TensorCodec;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.util.unit.DataSize;

/** Builds router cache clients the way {@link CacheClientConfiguration} does, against a test server. */
final class ClientFixture implements AutoCloseable {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<ManagedChannel> channels = new ArrayList<>();

    /** The near cache as configured by default. */
    static final CacheClientProperties.Near NEAR = new CacheClientProperties.Near(true,
            DataSize.ofMegabytes(64), Duration.ofMinutes(10), Duration.ofMillis(500));

    /** KV-state capture points as configured by default. */
    static final CacheClientProperties.Capture CAPTURE = new CacheClientProperties.Capture(4, 4);

    /** A fast-tripping breaker (2 failed calls of 4, open for 300 ms, 1 trial call), generous deadlines. */
    static CacheClientProperties settings(String target, Duration timeout) {
        return new CacheClientProperties(true, target, timeout, Duration.ofSeconds(20), 32, TensorCodec.Precision.FP16,
                64 * 1024, CAPTURE, new CacheClientProperties.Breaker(50, 4, 2, Duration.ofMillis(300), 1), NEAR, Duration.ofSeconds(30));
    }

    /** A new channel: another router instance, as far as cache-service can tell. */
    ManagedChannel channel(CacheClientProperties settings) {
        ManagedChannel channel = CacheClientConfiguration.channel(settings);
        channels.add(channel);
        return channel;
    }

    ResponseCacheClient responses(CacheClientProperties settings) {
        return CacheClientConfiguration.responseClient(channel(settings), settings, registry);
    }

    KvStateCacheClient states(CacheClientProperties settings, PromptPrefixHasher hasher) {
        return CacheClientConfiguration.kvClient(channel(settings), settings, registry, hasher);
    }

    double requests(String cache, String result) {
        return registry.get("dragon.cache.requests").tag("cache", cache).tag("result", result).counter().count();
    }

    @Override
    public void close() throws InterruptedException {
        for (ManagedChannel c : channels) {
            c.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
