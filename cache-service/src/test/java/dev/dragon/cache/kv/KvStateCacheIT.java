package dev.dragon.cache.kv;

import static dev.dragon.cache.testing.CacheTestClient.chunk;
import static dev.dragon.cache.testing.CacheTestClient.header;
import static dev.dragon.cache.testing.CacheTestClient.kvKey;
import static dev.dragon.cache.testing.CacheTestClient.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dragon.cache.testing.CacheServiceTest;
import dev.dragon.cache.testing.CacheTestClient;
import dev.dragon.cache.testing.RedisTestServer;
import dev.dragon.contracts.v1.KvStateKey;
import dev.dragon.contracts.v1.PrefixLookupResult;
import dev.dragon.contracts.v1.StoreResult;
import dev.dragon.contracts.v1.TenantRequest;
import dev.dragon.contracts.v1.TenantStats;
import dev.dragon.core.kv.KvState;
import dev.dragon.core.kv.KvStateCodec;
import dev.dragon.core.tensor.Fp16;
import dev.dragon.core.tensor.TensorCodec.Precision;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** The KV-state cache through the real gRPC service and a real Redis, with real encoded states. */
@CacheServiceTest
@TestPropertySource(properties = {"dragon.cache.kv.max-state-size=2MB", "dragon.cache.kv.max-chunk-size=512KB"})
class KvStateCacheIT {

    private static final String MODEL = "dragon-moe-mini@1.0.0";
    private static final String GATING = "topk2-b0";
    private static final int CHUNK = 256 * 1024;

    @Autowired CacheTestClient cache;
    @Autowired RedisTestServer redis;

    /** A state of the shipped model's shape ([4 layers][4 heads, 128, 64]) holding positions [next - 128, next). */
    static KvState state(long seed, long next) {
        int layers = 4, heads = 4, window = 128, headDim = 64;
        SplittableRandom random = new SplittableRandom(seed);
        long[] positions = new long[window];
        Arrays.fill(positions, -1L);
        for (long p = Math.max(0, next - window); p < next; p++) {
            positions[(int) (p % window)] = p;
        }
        float[][] keys = new float[layers][heads * window * headDim];
        float[][] values = new float[layers][heads * window * headDim];
        for (int l = 0; l < layers; l++) {
            for (int i = 0; i < keys[l].length; i++) {
                keys[l][i] = (float) random.nextGaussian() * 4;
                values[l][i] = (float) random.nextGaussian();
            }
        }
        return new KvState(heads, window, headDim, positions, keys, values);
    }

    private static KvStateKey key(String tenant, String prefix) {
        return kvKey(tenant, MODEL, GATING, sha256(prefix));
    }

    @Test
    void fp32State_roundTripsInChunks_bitExactly() {
        KvState original = state(1, 300);
        byte[] encoded = KvStateCodec.encode(original, Precision.FP32);

        StoreResult stored = cache.putKv(key("acme", "fp32"), 300, encoded, CHUNK);
        CacheTestClient.Fetched fetched = cache.getKv(key("acme", "fp32"));

        assertThat(stored.getOutcome()).isEqualTo(StoreResult.Outcome.STORED);
        assertThat(stored.getBytes()).isEqualTo(encoded.length);
        assertThat(fetched.header().getFound()).isTrue();
        assertThat(fetched.header().getTokenCount()).isEqualTo(300);
        assertThat(fetched.header().getChunkCount()).isEqualTo(5).isEqualTo(fetched.chunks());
        KvState decoded = KvStateCodec.decode(fetched.data());
        assertThat(decoded.positions()).containsExactly(original.positions());
        for (int l = 0; l < 4; l++) {
            assertThat(decoded.keys()[l]).containsExactly(original.keys()[l]);
            assertThat(decoded.values()[l]).containsExactly(original.values()[l]);
        }
    }

    @Test
    void fp16State_roundTripsInChunks_asTheHalfPrecisionRoundingOfEveryValue() {
        KvState original = state(2, 128);
        byte[] encoded = KvStateCodec.encode(original, Precision.FP16);

        cache.putKv(key("acme", "fp16"), 128, encoded, CHUNK);
        KvState decoded = KvStateCodec.decode(cache.getKv(key("acme", "fp16")).data());

        assertThat(encoded.length).isEqualTo(525_336);
        for (int l = 0; l < 4; l++) {
            for (int i = 0; i < original.keys()[l].length; i++) {
                assertThat(decoded.keys()[l][i]).isEqualTo(Fp16.round(original.keys()[l][i]));
                assertThat(decoded.values()[l][i]).isEqualTo(Fp16.round(original.values()[l][i]));
            }
        }
    }

    @Test
    void longestStoredPrefix_isFound_amongTheChain() {
        List<byte[]> chain = IntStream.rangeClosed(1, 6).mapToObj(i -> sha256("chain block " + i)).toList();
        byte[] state = KvStateCodec.encode(state(3, 32));
        for (int stored : new int[] {0, 1, 3}) {
            cache.putKv(kvKey("acme", MODEL, GATING, chain.get(stored)), 32 * (stored + 1), state, CHUNK);
        }

        PrefixLookupResult longest = cache.find("acme", MODEL, GATING, chain);
        PrefixLookupResult shorter = cache.find("acme", MODEL, GATING, chain.subList(0, 3));
        PrefixLookupResult none = cache.find("acme", MODEL, GATING, List.of(chain.get(2)));

        assertThat(longest.getFound()).isTrue();
        assertThat(longest.getIndex()).isEqualTo(3);
        assertThat(longest.getTokenCount()).isEqualTo(128);
        assertThat(longest.getPrefixHash().toByteArray()).isEqualTo(chain.get(3));
        assertThat(shorter.getIndex()).isEqualTo(1);
        assertThat(shorter.getTokenCount()).isEqualTo(64);
        assertThat(none.getFound()).isFalse();
    }

    @Test
    void anotherTenantModelOrGatingVersion_neverFindsTheState() {
        byte[] hash = sha256("shared system prompt");
        cache.putKv(kvKey("acme", MODEL, GATING, hash), 64, KvStateCodec.encode(state(4, 64)), CHUNK);

        assertThat(cache.find("globex", MODEL, GATING, List.of(hash)).getFound()).as("tenant").isFalse();
        assertThat(cache.find("acme", "dragon-moe-mini@1.0.1", GATING, List.of(hash)).getFound()).as("model").isFalse();
        assertThat(cache.find("acme", MODEL, "adaptive-p0.9", List.of(hash)).getFound()).as("gating").isFalse();
        assertThat(cache.getKv(kvKey("globex", MODEL, GATING, hash)).header().getFound()).isFalse();
        assertThat(cache.find("acme", MODEL, GATING, List.of(hash)).getFound()).isTrue();
    }

    @Test
    void stateOverTheSizeLimit_isRefused_andNothingIsStored() {
        byte[] big = new byte[3 * 1024 * 1024];

        StoreResult result = cache.putKv(key("big-tenant", "big"), 900, big, 512 * 1024);

        assertThat(result.getOutcome()).isEqualTo(StoreResult.Outcome.TOO_LARGE);
        assertThat(cache.getKv(key("big-tenant", "big")).header().getFound()).isFalse();
        assertThat(redis.keys("*:t:big-tenant:kv:*")).isEmpty();
    }

    @Test
    void rewritingAState_servesTheNewWrite_andDropsTheOldChunks() {
        KvStateKey k = key("rewrite", "same prefix");
        byte[] first = KvStateCodec.encode(state(5, 128), Precision.FP32);
        byte[] second = KvStateCodec.encode(state(6, 128));

        cache.putKv(k, 128, first, CHUNK);
        cache.putKv(k, 128, second, 400_000);

        assertThat(cache.getKv(k).data()).isEqualTo(second);
        List<String> types = redis.keys("*:t:rewrite:kv:*").stream().map(key -> redis.commands().type(key)).toList();
        assertThat(types).as("one header and the second write's two chunks").containsExactlyInAnyOrder("hash", "string", "string");
    }

    @Test
    void aChunkEvictedBeforeTheRead_endsTheStreamWithNotFound_andTheNextLookupMisses() {
        KvStateKey k = key("evicting", "prefix");
        cache.putKv(k, 128, KvStateCodec.encode(state(7, 128)), CHUNK);
        String chunkKey = redis.keys("*:t:evicting:kv:*").stream().filter(s -> s.endsWith(":1")).findFirst().orElseThrow();
        redis.commands().del(chunkKey);

        assertThatThrownBy(() -> cache.getKv(k)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThat(cache.find("evicting", MODEL, GATING, List.of(sha256("prefix"))).getFound()).isFalse();
    }

    @Test
    void restore_streamsTheLongestStoredPrefixOfTheChain_inOneCall() {
        List<byte[]> chain = IntStream.rangeClosed(1, 6).mapToObj(i -> sha256("restore block " + i)).toList();
        byte[] shortState = KvStateCodec.encode(state(8, 64));
        byte[] longState = KvStateCodec.encode(state(9, 128), Precision.FP32);
        cache.putKv(kvKey("acme", MODEL, GATING, chain.get(1)), 64, shortState, CHUNK);
        cache.putKv(kvKey("acme", MODEL, GATING, chain.get(3)), 128, longState, CHUNK);

        CacheTestClient.Fetched longest = cache.restore("acme", MODEL, GATING, chain);
        CacheTestClient.Fetched shorter = cache.restore("acme", MODEL, GATING, chain.subList(0, 3));

        assertThat(longest.header().getFound()).isTrue();
        assertThat(longest.header().getIndex()).isEqualTo(3);
        assertThat(longest.header().getKey()).isEqualTo(kvKey("acme", MODEL, GATING, chain.get(3)));
        assertThat(longest.header().getTokenCount()).isEqualTo(128);
        assertThat(longest.header().getTotalBytes()).isEqualTo(longState.length);
        assertThat(longest.header().getChunkCount()).isEqualTo(5).isEqualTo(longest.chunks());
        assertThat(longest.data()).isEqualTo(longState);
        assertThat(shorter.header().getIndex()).isEqualTo(1);
        assertThat(shorter.header().getTokenCount()).isEqualTo(64);
        assertThat(shorter.data()).isEqualTo(shortState);
    }

    @Test
    void restore_withNothingStored_isAHeaderAlone_sayingNotFound() {
        List<byte[]> chain = List.of(sha256("never stored 1"), sha256("never stored 2"));

        CacheTestClient.Fetched none = cache.restore("acme", MODEL, GATING, chain);

        assertThat(none.header().getFound()).isFalse();
        assertThat(none.header().hasKey()).isFalse();
        assertThat(none.chunks()).isZero();
    }

    @Test
    void restore_neverCrossesTenantModelOrGatingVersion() {
        byte[] hash = sha256("restored system prompt");
        byte[] state = KvStateCodec.encode(state(10, 64));
        cache.putKv(kvKey("acme", MODEL, GATING, hash), 64, state, CHUNK);

        assertThat(cache.restore("globex", MODEL, GATING, List.of(hash)).header().getFound()).as("tenant").isFalse();
        assertThat(cache.restore("acme", "dragon-moe-mini@1.0.1", GATING, List.of(hash)).header().getFound())
                .as("model").isFalse();
        assertThat(cache.restore("acme", MODEL, "adaptive-p0.9", List.of(hash)).header().getFound()).as("gating").isFalse();
        assertThat(cache.restore("acme", MODEL, GATING, List.of(hash)).data()).isEqualTo(state);
    }

    @Test
    void restore_withAChunkGone_endsWithNotFound_countsOneMiss_andTheNextRestoreMisses() {
        byte[] hash = sha256("evicted restore");
        cache.putKv(kvKey("evict-restore", MODEL, GATING, hash), 128, KvStateCodec.encode(state(11, 128)), CHUNK);
        String chunkKey = redis.keys("*:t:evict-restore:kv:*").stream().filter(s -> s.endsWith(":2")).findFirst()
                .orElseThrow();
        redis.commands().del(chunkKey);

        assertThatThrownBy(() -> cache.restore("evict-restore", MODEL, GATING, List.of(hash)))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThat(cache.restore("evict-restore", MODEL, GATING, List.of(hash)).header().getFound()).isFalse();
        TenantStats stats = cache.blocking().stats(TenantRequest.newBuilder().setSchemaVersion(1)
                .setTenant("evict-restore").build());
        assertThat(stats.getKv().getHits()).as("a restore that lost a chunk is no hit").isZero();
        assertThat(stats.getKv().getMisses()).isEqualTo(2);
    }

    @Test
    void restore_countsOneHitPerRestoredState() {
        byte[] hash = sha256("counted restore");
        cache.putKv(kvKey("count-restore", MODEL, GATING, hash), 64, KvStateCodec.encode(state(12, 64)), CHUNK);

        cache.restore("count-restore", MODEL, GATING, List.of(sha256("unrelated"), hash));
        cache.restore("count-restore", MODEL, GATING, List.of(sha256("unrelated")));

        TenantStats stats = cache.blocking().stats(TenantRequest.newBuilder().setSchemaVersion(1)
                .setTenant("count-restore").build());
        assertThat(stats.getKv().getHits()).isEqualTo(1);
        assertThat(stats.getKv().getMisses()).isEqualTo(1);
    }

    @Test
    void restoreWithoutHashesOrWithMalformedOnes_isInvalidArgument() {
        assertThatThrownBy(() -> cache.restore("acme", MODEL, GATING, List.of()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).startsWith("prefix_hashes:");
                });
        assertThatThrownBy(() -> cache.restore("acme", MODEL, GATING, List.of(sha256("ok"), new byte[3])))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getDescription()).startsWith("prefix_hashes[1]:"));
    }

    @Test
    void malformedStreams_areInvalidArgument_andLeaveNothingBehind() {
        KvStateKey k = key("malformed", "p");
        byte[] data = new byte[1000];

        assertInvalid(List.of(chunk(data)), "header");
        assertInvalid(List.of(header(k, 10, 1000, 2), chunk(data)), "chunk");                  // ends early
        assertInvalid(List.of(header(k, 10, 1000, 1), chunk(data), chunk(data)), "chunk");     // more than declared
        assertInvalid(List.of(header(k, 10, 1000, 1), header(k, 10, 1000, 1)), "chunk");
        assertInvalid(List.of(header(k, 0, 1000, 1), chunk(data)), "token_count");
        assertInvalid(List.of(header(k, 10, 0, 0)), "total_bytes");
        assertInvalid(List.of(header(k, 10, 600_000, 1), chunk(new byte[600_000])), "chunk");  // chunk over the limit
        assertInvalid(List.of(header(kvKey("malformed", MODEL, GATING, new byte[8]), 10, 1000, 1), chunk(data)),
                "prefix_hash");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(redis.keys("*:t:malformed:*")).as("chunks of failed writes are deleted").isEmpty());
        assertThat(cache.getKv(k).header().getFound()).isFalse();
    }

    @Test
    void lookupsWithoutHashesOrWithMalformedOnes_areInvalidArgument() {
        assertThatThrownBy(() -> cache.find("acme", MODEL, GATING, List.of()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getDescription()).startsWith("prefix_hashes:"));
        assertThatThrownBy(() -> cache.find("acme", MODEL, GATING, List.of(sha256("ok"), new byte[3])))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getDescription()).startsWith("prefix_hashes[1]:"));
    }

    private void assertInvalid(List<dev.dragon.contracts.v1.KvStatePart> parts, String field) {
        assertThatThrownBy(() -> cache.putKvParts(parts)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).startsWith(field + ":");
        });
    }
}
