package dev.dragon.router.cache;

import com.google.protobuf.ByteString;
import dev.dragon.contracts.v1.CacheServiceGrpc;
import dev.dragon.contracts.v1.CachedResponse;
import dev.dragon.contracts.v1.ResponseLookup;
import dev.dragon.contracts.v1.ResponseStore;
import dev.dragon.contracts.v1.StoreResult;
import io.grpc.Channel;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;

/**
 * The response cache, as a router uses it: {@link #lookup} before generating, {@link #store} after a
 * complete answer. Never fails a request: when cache-service or Redis is down or slow (per-call deadline
 * {@code dragon.router.cache.timeout}) the lookup is a bypass and the store is skipped, and a circuit breaker
 * stops calling until cache-service answers again. The stored body is opaque to the cache (the router's
 * own serialized response record), so a hit can be replayed as JSON or as SSE.
 */
public final class ResponseCacheClient {

    static final int SCHEMA_VERSION = 1;

    private final Channel channel;
    private final CacheCallGuard guard;
    private final boolean enabled;
    private final Duration timeout;
    private final Clock clock;

    ResponseCacheClient(Channel channel, CacheCallGuard guard, CacheClientProperties properties, Clock clock) {
        this.channel = channel;
        this.guard = guard;
        this.enabled = properties.enabled();
        this.timeout = properties.timeout();
        this.clock = clock;
    }

    public boolean enabled() {
        return enabled;
    }

    /** The cached answer to {@code key}: a hit, a miss, or a bypass (disabled, breaker open, call failed). */
    public Mono<CacheLookup<CachedResponse>> lookup(ResponseCacheKey key) {
        if (!enabled) {
            return Mono.fromSupplier(guard::skipped);
        }
        ResponseLookup request = ResponseLookup.newBuilder().setSchemaVersion(SCHEMA_VERSION).setTenant(key.tenant())
                .setModelVersion(key.modelVersion()).setAdapterVersion(key.adapterVersion())
                .setKey(ByteString.copyFrom(key.hash())).build();
        return guard.lookup(Mono.defer(() -> GrpcCalls.unary(stub()::getResponse, request))
                .map(result -> result.getFound() ? CacheLookup.hit(result.getEntry()) : CacheLookup.miss()));
    }

    /** A request that is not eligible (see {@link ResponseCachePolicy}): not looked up, counted as a bypass. */
    public CacheLookup<CachedResponse> skip() {
        return guard.skipped();
    }

    /** Stores a complete answer; true when cache-service stored it (false: too large, disabled or unavailable). */
    public Mono<Boolean> store(ResponseCacheKey key, byte[] body, String contentType) {
        if (!enabled) {
            return Mono.just(false);
        }
        ResponseStore request = ResponseStore.newBuilder().setSchemaVersion(SCHEMA_VERSION).setTenant(key.tenant())
                .setModelVersion(key.modelVersion()).setAdapterVersion(key.adapterVersion())
                .setKey(ByteString.copyFrom(key.hash()))
                .setEntry(CachedResponse.newBuilder().setSchemaVersion(SCHEMA_VERSION).setBody(ByteString.copyFrom(body))
                        .setContentType(contentType).setCreatedUnixMs(clock.millis()))
                .build();
        return guard.store(Mono.defer(() -> GrpcCalls.unary(stub()::putResponse, request))
                .map(result -> result.getOutcome() == StoreResult.Outcome.STORED));
    }

    private CacheServiceGrpc.CacheServiceStub stub() {
        return CacheServiceGrpc.newStub(channel).withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
