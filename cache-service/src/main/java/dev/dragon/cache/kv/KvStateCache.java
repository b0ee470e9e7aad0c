package dev.dragon.cache.kv;

import dev.dragon.cache.config.CacheProperties;
import dev.dragon.cache.error.KvStateEvictedException;
import dev.dragon.cache.keys.CacheKeys;
import dev.dragon.cache.keys.KvKey;
import dev.dragon.cache.metrics.CacheKind;
import dev.dragon.cache.metrics.CacheMetrics;
import dev.dragon.cache.redis.CacheRedis;
import dev.dragon.cache.redis.CacheScripts;
import dev.dragon.cache.redis.RedisCalls;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * KV states of prompt prefixes, per tenant, model and gating version. A state is written chunk by chunk
 * under a fresh write id and becomes visible only when its header is committed (atomically replacing an
 * older write and dropping that write's chunks), so a reader never mixes chunks of two writes.
 */
@Component
public class KvStateCache {

    private static final List<String> META_FIELDS = List.of("tokens", "chunks", "bytes", "wid");

    private final RedisCalls calls;
    private final CacheScripts scripts;
    private final CacheKeys keys;
    private final CacheMetrics metrics;
    private final Clock clock;
    private final CacheProperties.Kv properties;

    public KvStateCache(CacheRedis redis, CacheProperties properties) {
        this.calls = redis.calls();
        this.scripts = redis.scripts();
        this.keys = redis.keys();
        this.metrics = redis.metrics();
        this.clock = redis.clock();
        this.properties = properties.kv();
    }

    /** The longest of {@code hashes} (shortest prefix first) with a stored state; counts a hit or a miss. */
    public Mono<Optional<PrefixMatch>> findLongest(KvKey namespace, List<String> hashes) {
        List<String> scriptKeys = new ArrayList<>(hashes.size() + 1);
        scriptKeys.add(keys.stats(namespace.tenant()));
        hashes.forEach(h -> scriptKeys.add(keys.kvMeta(namespace.withHash(h))));
        return calls.script("kv_find", scripts.kvFind(), scriptKeys, List.of())
                .map(result -> {
                    int index = ((Number) result.get(0)).intValue();
                    return index < 0 ? Optional.<PrefixMatch>empty()
                            : Optional.of(new PrefixMatch(index, hashes.get(index), ((Number) result.get(1)).intValue()));
                })
                .doOnNext(found -> {
                    if (found.isPresent()) {
                        metrics.hit(CacheKind.KV);
                    } else {
                        metrics.miss(CacheKind.KV);
                    }
                });
    }

    /**
     * The longest of {@code hashes} (shortest prefix first) with a stored state, and that state, in two Redis
     * round trips whatever its size: kv_restore.lua finds the prefix and reads its header, then one MGET reads
     * every chunk (the caller holds the state whole anyway: it is sent at once and decoded whole). Counts one
     * hit (every chunk read) or one miss (none stored, or a chunk gone); a chunk that is gone (evicted, or
     * replaced by a newer write meanwhile) drops the header, so the next lookup misses instead of failing
     * again, and ends with {@link KvStateEvictedException}.
     */
    public Mono<Optional<RestoredState>> restore(KvKey namespace, List<String> hashes) {
        String stats = keys.stats(namespace.tenant());
        List<String> scriptKeys = new ArrayList<>(hashes.size() + 1);
        scriptKeys.add(stats);
        hashes.forEach(h -> scriptKeys.add(keys.kvMeta(namespace.withHash(h))));
        return calls.script("kv_restore", scripts.kvRestore(), scriptKeys, List.of())
                .flatMap(result -> {
                    int index = ((Number) result.get(0)).intValue();
                    if (index < 0) {
                        metrics.miss(CacheKind.KV);
                        return Mono.just(Optional.<RestoredState>empty());
                    }
                    KvKey key = namespace.withHash(hashes.get(index));
                    KvMeta meta = new KvMeta(((Number) result.get(1)).intValue(), ((Number) result.get(2)).intValue(),
                            ((Number) result.get(3)).longValue(), text(result.get(4)));
                    return allChunks(key, meta, stats).map(chunks -> {
                        metrics.hit(CacheKind.KV);
                        return Optional.of(new RestoredState(index, key, meta, chunks));
                    });
                });
    }

    /** Every chunk of a committed state, in one MGET; a missing one is an eviction (see {@link #restore}). */
    private Mono<List<byte[]>> allChunks(KvKey key, KvMeta meta, String stats) {
        String metaKey = keys.kvMeta(key);
        List<String> chunkKeys = IntStream.range(0, meta.chunks())
                .mapToObj(i -> keys.kvChunk(metaKey, meta.writeId(), i)).toList();
        return calls.mono("kv_chunks_mget", calls.redis().opsForValue().multiGet(chunkKeys))
                .flatMap(chunks -> {
                    int missing = chunks.indexOf(null);
                    if (missing < 0 && chunks.size() == meta.chunks()) {
                        return Mono.just(chunks);
                    }
                    metrics.miss(CacheKind.KV);
                    return calls.script("kv_evicted", scripts.kvEvicted(), List.of(metaKey, stats), List.of())
                            .onErrorResume(e -> Mono.empty())
                            .then(Mono.error(new KvStateEvictedException("chunk " + Math.max(missing, 0) + " of "
                                    + meta.chunks() + " of the KV state is gone (evicted or replaced)")));
                });
    }

    /** A script's bulk-string reply element (the template reads them as bytes). */
    private static String text(Object value) {
        return value instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(value);
    }

    /** The committed header of {@code key}'s state, or empty. */
    public Mono<Optional<KvMeta>> meta(KvKey key) {
        return calls.mono("kv_meta", calls.redis().<String, String>opsForHash().multiGet(keys.kvMeta(key), META_FIELDS))
                .map(fields -> fields.stream().anyMatch(f -> f == null) ? Optional.<KvMeta>empty()
                        : Optional.of(new KvMeta(Integer.parseInt(fields.get(0)), Integer.parseInt(fields.get(1)),
                                Long.parseLong(fields.get(2)), fields.get(3))));
    }

    /**
     * The chunks of a committed state, in order. A chunk that is gone (evicted, or replaced by a newer
     * write meanwhile) ends the stream with {@link KvStateEvictedException} and drops the header, so the
     * next lookup misses instead of failing again.
     */
    public Flux<byte[]> chunks(KvKey key, KvMeta meta) {
        String metaKey = keys.kvMeta(key);
        return Flux.range(0, meta.chunks())
                .concatMap(i -> calls.mono("kv_chunk_get",
                                calls.redis().opsForValue().get(keys.kvChunk(metaKey, meta.writeId(), i)))
                        .switchIfEmpty(Mono.defer(() -> calls.mono("kv_meta_drop", calls.redis().delete(metaKey))
                                .onErrorResume(e -> Mono.empty())
                                .then(Mono.error(new KvStateEvictedException("chunk " + i + " of " + meta.chunks()
                                        + " of the KV state is gone (evicted or replaced)"))))), 1);
    }

    /** Writes chunk {@code index} of write {@code writeId}; it outlives the header by the chunk grace. */
    public Mono<Void> writeChunk(KvKey key, String writeId, int index, byte[] data) {
        Duration ttl = properties.ttl().plus(properties.chunkGrace());
        return calls.mono("kv_chunk_put", calls.redis().opsForValue()
                        .set(keys.kvChunk(keys.kvMeta(key), writeId, index), data, ttl))
                .doOnNext(ok -> metrics.stored(CacheKind.KV, data.length))
                .then();
    }

    /** Makes a fully written state visible for the configured TTL. */
    public Mono<Void> commit(KvKey key, KvMeta meta) {
        return calls.script("kv_commit", scripts.kvCommit(),
                List.of(keys.kvMeta(key), keys.kvIndex(key.tenant()), keys.tenants()),
                CacheScripts.args(meta.tokens(), meta.chunks(), meta.bytes(), meta.writeId(), properties.ttl().toMillis(),
                        keys.kvMember(key), clock.millis(), key.tenant())).then();
    }

    /** Deletes the first {@code written} chunks of an abandoned write (best effort: they expire anyway). */
    public Mono<Void> discard(KvKey key, String writeId, int written) {
        if (written == 0) {
            return Mono.empty();
        }
        String metaKey = keys.kvMeta(key);
        List<String> chunkKeys = IntStream.range(0, written).mapToObj(i -> keys.kvChunk(metaKey, writeId, i)).toList();
        return calls.mono("kv_discard", calls.redis().unlink(chunkKeys.toArray(String[]::new))).then();
    }

    public long maxStateBytes() {
        return properties.maxStateSize().toBytes();
    }

    public long maxChunkBytes() {
        return properties.maxChunkSize().toBytes();
    }

    public int maxPrefixHashes() {
        return properties.maxPrefixHashes();
    }

    public Duration ttl() {
        return properties.ttl();
    }
}
