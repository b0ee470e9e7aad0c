package dev.dragon.cache.response;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.dragon.cache.config.CacheProperties;
import dev.dragon.cache.keys.CacheKeys;
import dev.dragon.cache.keys.ResponseKey;
import dev.dragon.cache.metrics.CacheKind;
import dev.dragon.cache.metrics.CacheMetrics;
import dev.dragon.cache.redis.CacheRedis;
import dev.dragon.cache.redis.CacheScripts;
import dev.dragon.cache.redis.RedisCalls;
import dev.dragon.contracts.v1.CachedResponse;
import dev.dragon.contracts.v1.StoreResult;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Whole responses of deterministic requests. An entry lives under its tenant, model version and adapter
 * version (see {@link CacheKeys}), so another tenant, model or adapter can never read it, whatever the
 * request hash; entries expire after {@code dragon.cache.response.ttl}.
 */
@Component
public class ResponseCache {

    private static final Logger log = LoggerFactory.getLogger(ResponseCache.class);

    private final RedisCalls calls;
    private final CacheScripts scripts;
    private final CacheKeys keys;
    private final CacheMetrics metrics;
    private final Clock clock;
    private final CacheProperties.Response properties;

    public ResponseCache(CacheRedis redis, CacheProperties properties) {
        this.calls = redis.calls();
        this.scripts = redis.scripts();
        this.keys = redis.keys();
        this.metrics = redis.metrics();
        this.clock = redis.clock();
        this.properties = properties.response();
    }

    /** The stored entry, or empty; counts a hit or a miss. */
    public Mono<Optional<CachedResponse>> get(ResponseKey key) {
        return calls.script("resp_get", scripts.responseGet(), List.of(keys.response(key), keys.stats(key.tenant())),
                        List.of())
                .map(bytes -> parse(key, bytes))
                .defaultIfEmpty(Optional.empty())
                .doOnNext(found -> {
                    if (found.isPresent()) {
                        metrics.hit(CacheKind.RESPONSE);
                    } else {
                        metrics.miss(CacheKind.RESPONSE);
                    }
                });
    }

    /** Stores {@code entry} for the configured TTL, unless it is larger than the size limit. */
    public Mono<StoreResult> put(ResponseKey key, CachedResponse entry) {
        byte[] value = entry.toByteArray();
        long ttl = properties.ttl().toMillis();
        StoreResult.Builder result = StoreResult.newBuilder().setSchemaVersion(1).setBytes(value.length);
        if (value.length > properties.maxEntrySize().toBytes()) {
            metrics.refused(CacheKind.RESPONSE, "too_large");
            log.info("response entry of {} bytes refused: the limit is {} bytes", value.length,
                    properties.maxEntrySize().toBytes());
            return Mono.just(result.setOutcome(StoreResult.Outcome.TOO_LARGE).build());
        }
        return calls.script("resp_put", scripts.responsePut(),
                        List.of(keys.response(key), keys.responseIndex(key.tenant()), keys.tenants()),
                        CacheScripts.args(value, ttl, keys.responseMember(key), clock.millis(), key.tenant()))
                .doOnNext(ok -> metrics.stored(CacheKind.RESPONSE, value.length))
                .thenReturn(result.setOutcome(StoreResult.Outcome.STORED).setTtlMs(ttl).build());
    }

    /** A value that does not parse is treated as absent (and logged): never served, never an error. */
    private static Optional<CachedResponse> parse(ResponseKey key, byte[] bytes) {
        try {
            return Optional.of(CachedResponse.parseFrom(bytes));
        } catch (InvalidProtocolBufferException e) {
            log.warn("unreadable response entry for tenant {} ({} bytes) ignored: {}", key.tenant(), bytes.length,
                    e.getMessage());
            return Optional.empty();
        }
    }
}
