package dev.dragon.router.cache;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.dragon.contracts.v1.CacheServiceGrpc;
import dev.dragon.contracts.v1.KvStateHeader;
import dev.dragon.contracts.v1.KvStateKey;
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
 * the prompt and restore it ({@code PrefixCache.restoreOnly(prefix.state(), prefix.tokens())}), in one
 * RestoreLongestPrefix call; capture the state at each of {@link #capturePoints} beyond it
 * ({@code PrefixCache}'s capture points) and {@link #store} each. States are encoded with {@link KvStateCodec}
 * in {@code dragon.router.cache.precision} and sent in chunks. Never fails a request: any failure is a bypass
 * (lookup) or a skipped store, behind a circuit breaker.
 */
public final class KvStateCacheClient {

    private final Channel channel;
    private final CacheCallGuard guard;
    private final PromptPrefixHasher hasher;
    private final boolean enabled;
    private final Duration kvTimeout;
    private final TensorCodec.Precision precision;
    private final int chunkBytes;
    private final int captureEveryBlocks;
    private final int maxCapturePoints;

    KvStateCacheClient(Channel channel, CacheCallGuard guard, PromptPrefixHasher hasher, CacheClientProperties properties) {
        this.channel = channel;
        this.guard = guard;
        this.hasher = hasher;
        this.enabled = properties.enabled();
        this.kvTimeout = properties.kvTimeout();
        this.precision = properties.precision();
        this.chunkBytes = properties.chunkBytes();
        this.captureEveryBlocks = properties.capture().everyBlocks();
        this.maxCapturePoints = properties.capture().maxPoints();
    }

    public PromptPrefixHasher hasher() {
        return hasher;
    }

    /** The longest prompt prefix a state is captured for (0: too short to cache, or the cache is disabled). */
    public int capturePoint(int promptLength) {
        return enabled ? hasher.cacheablePrefix(promptLength) : 0;
    }

    /**
     * Where to capture states for the cache, ascending, each beyond the {@code restoredTokens} already restored:
     * the longest cacheable prefix and, before it, the multiples of {@code capture.every-blocks} blocks (every
     * second, fourth, ... of them when more than {@code capture.max-points - 1} would fit, so the grid stays the
     * same for every prompt). Empty when nothing beyond the restored prefix can be cached.
     */
    public int[] capturePoints(int promptLength, int restoredTokens) {
        int longest = capturePoint(promptLength);
        if (longest <= restoredTokens) {
            return new int[0];
        }
        long step = (long) captureEveryBlocks * hasher.blockSize();
        while (multiplesBetween(step, restoredTokens, longest) > maxCapturePoints - 1) {
            step *= 2;
        }
        int earlier = (int) multiplesBetween(step, restoredTokens, longest);
        int[] points = new int[earlier + 1];
        long first = (restoredTokens / step + 1) * step;
        for (int i = 0; i < earlier; i++) {
            points[i] = Math.toIntExact(first + i * step);
        }
        points[earlier] = longest;
        return points;
    }

    /** How many multiples of {@code step} lie strictly between {@code low} and {@code high}. */
    private static long multiplesBetween(long step, int low, int high) {
        return Math.max(0, (high - 1) / step - low / step);
    }

    /**
     * The longest stored prefix of {@code prompt} that leaves at least one token to prefill, found and fetched
     * in one RestoreLongestPrefix call. A bypass when the prompt is shorter than a block plus one token, the
     * cache is disabled, or cache-service fails; a miss when nothing is stored, or the state vanished (evicted)
     * or does not fit the prompt (another prefix, not ending where its header says).
     */
    public Mono<CacheLookup<KvPrefix>> lookup(String tenant, int[] prompt) {
        List<byte[]> chain = hasher.chain(prompt, hasher.cacheablePrefix(prompt.length));
        if (!enabled || chain.isEmpty()) {
            return Mono.fromSupplier(guard::skipped);
        }
        PrefixLookup restore = PrefixLookup.newBuilder().setSchemaVersion(ResponseCacheClient.SCHEMA_VERSION)
                .setTenant(tenant).setModel(hasher.model()).setGatingVersion(hasher.gatingVersion())
                .addAllPrefixHashes(chain.stream().map(ByteString::copyFrom).toList()).build();
        return guard.lookup(Mono.defer(() -> GrpcCalls.serverStream(stub(kvTimeout)::restoreLongestPrefix, restore)
                        .collect(Fetched::new, Fetched::add))
                .map(f -> f.decode(chain))
                .onErrorResume(e -> e instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.NOT_FOUND,
                        e -> Mono.just(CacheLookup.miss())));
    }

    /**
     * Stores the state after the first {@code prefixTokens} tokens of {@code prompt} ({@code prefixTokens} a
     * multiple of the block size, as {@link #capturePoints} gives). True when stored.
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

    /** A RestoreLongestPrefix stream gathered: its header and the concatenated chunks. */
    private final class Fetched {
        KvStateHeader header;
        final ByteArrayOutputStream data = new ByteArrayOutputStream();

        void add(KvStatePart part) {
            if (part.hasHeader()) {
                header = part.getHeader();
            } else {
                data.writeBytes(part.getChunk().toByteArray());
            }
        }

        /** A hit only for a state of one of {@code chain}'s prefixes, whole, ending where the prefix does. */
        CacheLookup<KvPrefix> decode(List<byte[]> chain) {
            if (header == null || !header.getFound() || header.getIndex() >= chain.size()
                    || !header.getKey().getPrefixHash().equals(ByteString.copyFrom(chain.get(header.getIndex())))
                    || data.size() != header.getTotalBytes()) {
                return CacheLookup.miss();
            }
            int tokens = header.getTokenCount();
            KvState state = KvStateCodec.decode(data.toByteArray());
            return tokens == (header.getIndex() + 1) * hasher.blockSize() && state.nextPosition() == tokens
                    ? CacheLookup.hit(new KvPrefix(state, tokens)) : CacheLookup.miss();
        }
    }
}
