package dev.dragon.cache.redis;

import dev.dragon.cache.config.CacheProperties;
import dev.dragon.cache.metrics.CacheMetrics;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Whether Redis answers, from a periodic PING and from every call's outcome: drives
 * {@code dragon_cache_redis_up}, logs each transition once and failures in between at most once per
 * {@code log-interval}, and (re)applies the eviction policy whenever Redis comes (back) up, since a
 * restarted Redis forgets {@code CONFIG SET}.
 */
@Component
public class RedisAvailability implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RedisAvailability.class);

    private final ReactiveRedisTemplate<String, byte[]> redis;
    private final CacheProperties.Redis properties;
    private final CacheMetrics metrics;
    private final RateLimitedLog failures;
    /** null until the first answer or failure. */
    private final AtomicReference<Boolean> up = new AtomicReference<>();
    private final PeriodicTask probe;

    public RedisAvailability(ReactiveRedisTemplate<String, byte[]> cacheRedisTemplate, CacheProperties properties,
                             CacheMetrics metrics) {
        this.redis = cacheRedisTemplate;
        this.properties = properties.redis();
        this.metrics = metrics;
        this.failures = new RateLimitedLog(log, this.properties.logInterval());
        this.probe = new PeriodicTask(Duration.ZERO, this.properties.probeInterval(), this::ping);
    }

    /** True when the last call or probe got an answer. */
    public boolean isUp() {
        return Boolean.TRUE.equals(up.get());
    }

    /** A call got an answer from Redis. */
    public void succeeded() {
        Boolean before = up.getAndSet(true);
        if (!Boolean.TRUE.equals(before)) {
            metrics.redisUp(true);
            log.info("Redis is available{}", before == null ? "" : " again");
            applyEvictionPolicy().subscribe();
        }
    }

    /** A call failed for lack of Redis ({@code op} names the call, {@code reason} says what happened). */
    public void failed(String op, String reason) {
        Boolean before = up.getAndSet(false);
        metrics.redisUp(false);
        if (!Boolean.FALSE.equals(before)) {
            log.warn("Redis is unavailable ({}: {}): cache calls answer UNAVAILABLE until it returns", op, reason);
        } else {
            failures.warn("Redis still unavailable (" + op + ": " + reason + ")");
        }
    }

    /** Sets {@code maxmemory-policy} (and {@code maxmemory} when configured); tolerates Redis refusing CONFIG. */
    Mono<Void> applyEvictionPolicy() {
        DataSize maxmemory = properties.maxmemory();
        Flux<String> commands = redis.execute(connection -> {
            Mono<String> policy = connection.serverCommands().setConfig("maxmemory-policy", properties.evictionPolicy());
            return maxmemory.toBytes() > 0
                    ? policy.then(connection.serverCommands().setConfig("maxmemory", Long.toString(maxmemory.toBytes())))
                    : policy;
        });
        return commands.timeout(properties.timeout().multipliedBy(4))
                .then(Mono.fromRunnable(() -> log.info("Redis eviction: maxmemory-policy {}{}", properties.evictionPolicy(),
                        maxmemory.toBytes() > 0 ? ", maxmemory " + maxmemory.toBytes() + " bytes" : " (maxmemory left as is)"))
                ).onErrorResume(e -> {
                    log.warn("Redis refused to set its eviction policy ({}); eviction stays as the Redis server is "
                            + "configured", RedisCalls.describe(e, properties.timeout()));
                    return Mono.empty();
                }).then();
    }

    private Mono<Void> ping() {
        long start = System.nanoTime();
        // a probe may have to (re)connect first: allow the connect timeout on top of the command timeout
        return redis.execute(connection -> connection.ping())
                .next()
                .timeout(properties.timeout().plus(properties.connectTimeout()))
                .doOnSuccess(pong -> {
                    metrics.redisLatency("ping").record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                    succeeded();
                })
                .onErrorResume(e -> {
                    failed("ping", RedisCalls.describe(e, properties.timeout()));
                    return Mono.empty();
                })
                .then();
    }

    @Override
    public void start() {
        probe.start();
    }

    @Override
    public void stop() {
        probe.stop();
    }

    @Override
    public boolean isRunning() {
        return probe.isRunning();
    }
}
