package dev.dragon.cache.redis;

import dev.dragon.cache.config.CacheProperties;
import dev.dragon.cache.error.CacheException;
import dev.dragon.cache.error.CacheUnavailableException;
import dev.dragon.cache.metrics.CacheMetrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Every Redis round trip goes through here: bounded by the configured timeout, timed into
 * {@code dragon_cache_redis_latency_seconds{op}}, reported to {@link RedisAvailability}, and any failure
 * turned into a {@link CacheUnavailableException} (UNAVAILABLE / 503), so no call ever hangs on Redis.
 * {@code op} names come from a fixed set in the callers (bounded label).
 */
@Component
public class RedisCalls {

    private final ReactiveRedisTemplate<String, byte[]> redis;
    private final Duration timeout;
    private final CacheMetrics metrics;
    private final RedisAvailability availability;

    public RedisCalls(ReactiveRedisTemplate<String, byte[]> cacheRedisTemplate, CacheProperties properties,
                      CacheMetrics metrics, RedisAvailability availability) {
        this.redis = cacheRedisTemplate;
        this.timeout = properties.redis().timeout();
        this.metrics = metrics;
        this.availability = availability;
    }

    /** The template, for building calls to pass to {@link #mono} / {@link #flux}. */
    public ReactiveRedisTemplate<String, byte[]> redis() {
        return redis;
    }

    public <T> Mono<T> mono(String op, Mono<T> call) {
        Timer timer = metrics.redisLatency(op);
        return Mono.defer(() -> {
            long start = System.nanoTime();
            return call.timeout(timeout)
                    .doOnSuccess(v -> succeeded(timer, start))
                    .onErrorMap(e -> unavailable(op, timer, start, e));
        });
    }

    /** A multi-reply call (SCAN, chunk streams): the timeout bounds the wait for each element. */
    public <T> Flux<T> flux(String op, Flux<T> call) {
        Timer timer = metrics.redisLatency(op);
        return Flux.defer(() -> {
            long start = System.nanoTime();
            return call.timeout(timeout)
                    .doOnComplete(() -> succeeded(timer, start))
                    .onErrorMap(e -> unavailable(op, timer, start, e));
        });
    }

    /** Runs a script that returns one value (empty when it returns nil). */
    public <T> Mono<T> script(String op, RedisScript<T> script, List<String> keys, List<byte[]> args) {
        return mono(op, redis.execute(script, keys, args).next());
    }

    private void succeeded(Timer timer, long start) {
        timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        availability.succeeded();
    }

    private Throwable unavailable(String op, Timer timer, long start, Throwable e) {
        if (e instanceof CacheException) {
            return e;
        }
        timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        String reason = describe(e, timeout);
        availability.failed(op, reason);
        return new CacheUnavailableException("Redis unavailable (" + op + ": " + reason + ")", e);
    }

    /** A short, log-safe reason for a Redis failure. */
    static String describe(Throwable e, Duration timeout) {
        if (e instanceof TimeoutException) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.length() > 200 ? message.substring(0, 200) + "..." : message;
    }
}
