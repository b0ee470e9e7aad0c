package dev.dragon.router.cache;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.dragon.contracts.v1.CacheServiceGrpc;
import dev.dragon.contracts.v1.KvStateHeader;
import dev.dragon.contracts.v1.KvStateKey;
import dev.dragon.contracts.v1.KvStateLookup;
import dev.dragon.contracts.v1.KvStatePart;
import dev.dragon.contracts.v1.PrefixLookup;
import dev.dragon.contracts.v1.StoreResult;
import dev.dragon.core.kv.KvState;
import dev.dragon.core.kv.KvStateCodec;
import dev.dragon.core.tensor.TensorCodec;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;

/**
 * The KV-state cache, as a router uses it: before prefill, {@link #lookup} the longest stored prefix of
 * the prompt and restore it ({@code PrefixCache.restoreOnly(prefix.state(), prefix.tokens())}); capture the
 * state at {@link #capturePoint} ({@code PrefixCache.captureOnly}) and {@link #store} it. States are encoded
 * with {@link KvStateCodec} in {@code dragon.router.cache.precision} and sent in chunks. Never fails a request:
 * any failure is a bypass (lookup) or a skipped store, behind a circuit breaker.
 */
public final class KvStateCacheClient {

    private final Channel channel;
    private final CacheCallGuard guard;
    private final PromptPrefixHasher hasher;
    private final boolean enabled;
    private final Duration timeout;
    private final Duration kvTimeout;
    private final TensorCodec.Precision precision;
    private final int chunkBytes;

    KvStateCacheClient(Channel channel, CacheCallGuard guard, PromptPrefixHasher hasher, CacheClientProperties properties) {
        this.channel = channel;
        this.guard = guard;
        this.hasher = hasher;
        this.enabled = properties.enabled();
        this.timeout = properties.timeout();
        this.kvTimeout = properties.kvTimeout();
        this.precision = properties.precision();
        this.chunkBytes = properties.chunkBytes();
    }

    public PromptPrefixHasher hasher() {
        return hasher;
    }

    /** The prompt length after which to capture a state for the cache (0: too short to cache). */
    public int capturePoint(int promptLength) {
        return enabled ? hasher.cacheablePrefix(promptLength) : 0;
    }

    /**
     * The longest stored prefix of {@code prompt} that leaves at least one token to prefill. A bypass when
     * the prompt is shorter than a block plus one token, the cache is disabled, or cache-service fails.
     */
    public Mono<CacheLookup<KvPrefix>> lookup(String tenant, int[] prompt) {
        List<byte[]> chain = hasher.chain(prompt, hasher.cacheablePrefix(prompt.length));
        if (!enabled || chain.isEmpty()) {
            return Mono.fromSupplier(guard::skipped);
        }
        PrefixLookup find = PrefixLookup.newBuilder().setSchemaVersion(ResponseCacheClient.SCHEMA_VERSION)
                .setTenant(tenant).setModel(hasher.model()).setGatingVersion(hasher.gatingVersion())
                .addAllPrefixHashes(chain.stream().map(ByteString::copyFrom).toList()).build();
        return guard.lookup(Mono.defer(() -> GrpcCalls.unary(stub(timeout)::findLongestPrefix, find))
                .flatMap(found -> found.getFound()
                        ? fetch(key(tenant, found.getPrefixHash()), found.getTokenCount())
                        : Mono.just(CacheLookup.<KvPrefix>miss())));
    }

    /** GetKvState, decoded; a state that vanished meanwhile (or does not continue at {@code tokens}) is a miss. */
    private Mono<CacheLookup<KvPrefix>> fetch(KvStateKey key, int tokens) {
        KvStateLookup get = KvStateLookup.newBuilder().setSchemaVersion(ResponseCacheClient.SCHEMA_VERSION).setKey(key).build();
        return GrpcCalls.serverStream(stub(kvTimeout)::getKvState, get)
                .collect(Fetched::new, Fetched::add)
                .map(f -> {
                    if (f.header == null || !f.header.getFound()) {
                        return CacheLookup.<KvPrefix>miss();
                    }
                    KvState state = KvStateCodec.decode(f.data.toByteArray());
                    return state.nextPosition() == tokens ? CacheLookup.hit(new KvPrefix(state, tokens))
                            : CacheLookup.<KvPrefix>miss();
                })
                .onErrorResume(e -> e instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.NOT_FOUND,
                        e -> Mono.just(CacheLookup.miss()));
    }

    /**
     * Stores the state after the first {@code prefixTokens} tokens of {@code prompt} ({@code prefixTokens} a
     * multiple of the block size, as {@link #capturePoint} gives). True when stored.
     */
    public Mono<Boolean> store(String tenant, int[] prompt, int prefixTokens, KvState state) {
        if (!enabled) {
            return Mono.just(false);
        }
        if (prefixTokens < hasher.blockSize() || prefixTokens % hasher.blockSize() != 0 || prefixTokens > prompt.length
                || state.nextPosition() != prefixTokens) {
            throw new IllegalArgumentException("a cached prefix is a whole number of " + hasher.blockSize()
                    + "-token blocks of the prompt, and the state must end there; got " + prefixTokens
                    + " tokens, a state ending at " + state.nextPosition());
        }
        List<byte[]> chain = hasher.chain(prompt, prefixTokens);
        KvStateKey key = key(tenant, ByteString.copyFrom(chain.getLast()));
        return guard.store(Mono.fromCallable(() -> parts(key, prefixTokens, KvStateCodec.encode(state, precision)))
                .flatMap(parts -> GrpcCalls.clientStream(stub(kvTimeout)::putKvState, parts))
                .map(result -> result.getOutcome() == StoreResult.Outcome.STORED));
    }

    private List<KvStatePart> parts(KvStateKey key, int tokens, byte[] encoded) {
        int chunks = (encoded.length + chunkBytes - 1) / chunkBytes;
        List<KvStatePart> parts = new ArrayList<>(chunks + 1);
        parts.add(KvStatePart.newBuilder().setSchemaVersion(ResponseCacheClient.SCHEMA_VERSION)
                .setHeader(KvStateHeader.newBuilder().setSchemaVersion(ResponseCacheClient.SCHEMA_VERSION).setKey(key)
                        .setTokenCount(tokens).setTotalBytes(encoded.length).setChunkCount(chunks))
                .build());
        for (int from = 0; from < encoded.length; from += chunkBytes) {
            parts.add(KvStatePart.newBuilder().setSchemaVersion(ResponseCacheClient.SCHEMA_VERSION)
                    .setChunk(UnsafeByteOperations.unsafeWrap(encoded, from, Math.min(chunkBytes, encoded.length - from)))
                    .build());
        }
        return parts;
    }

    private KvStateKey key(String tenant, ByteString hash) {
        return KvStateKey.newBuilder().setTenant(tenant).setModel(hasher.model())
                .setGatingVersion(hasher.gatingVersion()).setPrefixHash(hash).build();
    }

    private CacheServiceGrpc.CacheServiceStub stub(Duration deadline) {
        return CacheServiceGrpc.newStub(channel).withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** A GetKvState stream gathered: its header and the concatenated chunks. */
    private static final class Fetched {
        KvStateHeader header;
        final ByteArrayOutputStream data = new ByteArrayOutputStream();

        void add(KvStatePart part) {
            if (part.hasHeader()) {
                header = part.getHeader();
            } else {
                data.writeBytes(part.getChunk().toByteArray());
            }
        }
    }
}
