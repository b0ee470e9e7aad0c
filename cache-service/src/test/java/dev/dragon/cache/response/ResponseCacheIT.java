package dev.dragon.cache.response;

import static dev.dragon.cache.testing.CacheTestClient.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.dragon.cache.testing.CacheServiceTest;
import dev.dragon.cache.testing.CacheTestClient;
import dev.dragon.cache.testing.RedisTestServer;
import dev.dragon.contracts.v1.ResponseLookup;
import dev.dragon.contracts.v1.ResponseLookupResult;
import dev.dragon.contracts.v1.StoreResult;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** The response cache through the real gRPC service and a real Redis. */
@CacheServiceTest
@TestPropertySource(properties = "dragon.cache.response.max-entry-size=64KB")
class ResponseCacheIT {

    private static final String MODEL = "dragon-moe-mini@1.0.0";

    @Autowired CacheTestClient cache;
    @Autowired RedisTestServer redis;
    @Autowired MeterRegistry meters;

    private static byte[] body(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void storedResponse_isReturned_toTheSameTenantModelAndAdapter_forTheConfiguredTtl() {
        byte[] key = sha256("store-and-get");

        StoreResult stored = cache.put("ttl-check", MODEL, "0", key, body("{\"answer\":42}"));
        ResponseLookupResult found = cache.get("ttl-check", MODEL, "0", key);

        assertThat(stored.getOutcome()).isEqualTo(StoreResult.Outcome.STORED);
        assertThat(stored.getTtlMs()).isEqualTo(600_000);
        assertThat(found.getFound()).isTrue();
        assertThat(found.getEntry().getBody().toStringUtf8()).isEqualTo("{\"answer\":42}");
        assertThat(found.getEntry().getContentType()).isEqualTo("application/json");
        assertThat(found.getEntry().getCreatedUnixMs()).isEqualTo(1_700_000_000_000L);
        assertThat(redis.keys("*:t:ttl-check:resp:*")).singleElement().satisfies(k ->
                assertThat(redis.commands().pttl(k)).isBetween(1L, 600_000L));
    }

    @Test
    void anotherTenant_neverReadsTheEntry_evenWithTheSameRequestKey() {
        byte[] key = sha256("colliding request");
        cache.put("tenant-a", MODEL, "0", key, body("a's answer"));

        ResponseLookupResult other = cache.get("tenant-b", MODEL, "0", key);
        cache.put("tenant-b", MODEL, "0", key, body("b's answer"));

        assertThat(other.getFound()).isFalse();
        assertThat(cache.get("tenant-a", MODEL, "0", key).getEntry().getBody().toStringUtf8()).isEqualTo("a's answer");
        assertThat(cache.get("tenant-b", MODEL, "0", key).getEntry().getBody().toStringUtf8()).isEqualTo("b's answer");
    }

    @Test
    void anotherModelOrAdapterVersion_neverHits() {
        byte[] key = sha256("versioned");
        cache.put("acme", MODEL, "7", key, body("old"));

        assertThat(cache.get("acme", "dragon-moe-mini@1.0.1", "7", key).getFound()).as("new model").isFalse();
        assertThat(cache.get("acme", MODEL, "8", key).getFound()).as("new adapter").isFalse();
        assertThat(cache.get("acme", MODEL, "7", key).getFound()).as("same versions").isTrue();
    }

    @Test
    void entryOverTheSizeLimit_isRefused_counted_andNotStored() {
        byte[] key = sha256("too large");
        double refusedBefore = refused();

        StoreResult result = cache.put("acme", MODEL, "0", key, new byte[65 * 1024]);

        assertThat(result.getOutcome()).isEqualTo(StoreResult.Outcome.TOO_LARGE);
        assertThat(result.getBytes()).isGreaterThan(64 * 1024);
        assertThat(refused()).isEqualTo(refusedBefore + 1);
        assertThat(cache.get("acme", MODEL, "0", key).getFound()).isFalse();
        assertThat(cache.put("acme", MODEL, "0", key, new byte[60 * 1024]).getOutcome())
                .as("just under the limit").isEqualTo(StoreResult.Outcome.STORED);
    }

    @Test
    void lookups_countHitsAndMisses() {
        byte[] key = sha256("counted");
        double hits = meters.counter("dragon.cache.hits", "cache", "response").count();
        double misses = meters.counter("dragon.cache.misses", "cache", "response").count();

        cache.get("acme", MODEL, "0", key);
        cache.put("acme", MODEL, "0", key, body("x"));
        cache.get("acme", MODEL, "0", key);
        cache.get("acme", MODEL, "0", key);

        assertThat(meters.counter("dragon.cache.misses", "cache", "response").count()).isEqualTo(misses + 1);
        assertThat(meters.counter("dragon.cache.hits", "cache", "response").count()).isEqualTo(hits + 2);
    }

    @Test
    void malformedLookups_areInvalidArgument_namingTheField() {
        assertInvalid(r -> r.setTenant("acme:evil"), "tenant");
        assertInvalid(r -> r.setTenant(""), "tenant");
        assertInvalid(r -> r.setTenant("*"), "tenant");
        assertInvalid(r -> r.setModelVersion(""), "model_version");
        assertInvalid(r -> r.setAdapterVersion("a b"), "adapter_version");
        assertInvalid(r -> r.setKey(ByteString.copyFrom(new byte[31])), "key");
    }

    @Test
    void anUnknownSchemaVersion_isFailedPrecondition() {
        assertThatThrownBy(() -> cache.blocking().getResponse(lookup().setSchemaVersion(2).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getStatus().getDescription()).contains("schema_version 2");
                });
    }

    @Test
    void aStoreWithoutEntry_isInvalidArgument() {
        assertThatThrownBy(() -> cache.blocking().putResponse(dev.dragon.contracts.v1.ResponseStore.newBuilder()
                .setSchemaVersion(1).setTenant("acme").setModelVersion(MODEL).setAdapterVersion("0")
                .setKey(ByteString.copyFrom(sha256("no entry"))).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                        assertThat(e.getStatus().getDescription()).startsWith("entry:"));
    }

    private double refused() {
        return meters.counter("dragon.cache.refused", "cache", "response", "reason", "too_large").count();
    }

    private static ResponseLookup.Builder lookup() {
        return ResponseLookup.newBuilder().setSchemaVersion(1).setTenant("acme").setModelVersion(MODEL)
                .setAdapterVersion("0").setKey(ByteString.copyFrom(sha256("valid")));
    }

    private void assertInvalid(UnaryOperator<ResponseLookup.Builder> breakIt, String field) {
        assertThatThrownBy(() -> cache.blocking().getResponse(breakIt.apply(lookup()).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).startsWith(field + ":");
                });
    }
}
