package dev.dragon.cache.redis;

import static dev.dragon.cache.testing.CacheTestClient.kvKey;
import static dev.dragon.cache.testing.CacheTestClient.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dragon.cache.testing.CacheServiceTest;
import dev.dragon.cache.testing.CacheTestClient;
import dev.dragon.cache.testing.RedisTestServer;
import dev.dragon.contracts.v1.KvStateLookup;
import dev.dragon.contracts.v1.TenantRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Redis going away and coming back: every call answers UNAVAILABLE (well before the caller's deadline,
 * so nothing hangs) while it is gone or stalled, and the same service instance serves again once it is
 * back, with its eviction policy re-applied.
 */
@CacheServiceTest
@TestPropertySource(properties = {"dragon.cache.redis.timeout=500ms", "dragon.cache.redis.reconnect-max-delay=500ms"})
class RedisOutageIT {

    private static final String MODEL = "dragon-moe-mini@1.0.0";
    /** Far above the Redis timeout: an UNAVAILABLE answer proves the service did not wait for Redis. */
    private static final long CALLER_DEADLINE_SECONDS = 10;

    @Autowired CacheTestClient cache;
    @Autowired RedisTestServer redis;
    @Autowired MeterRegistry meters;
    @LocalManagementPort int managementPort;

    @Test
    void redisStoppedAndStarted_callsAnswerUnavailableMeanwhile_andTheServiceServesAgainByItself() throws Exception {
        byte[] key = sha256("outage");
        cache.put("acme", MODEL, "0", key, new byte[] {1, 2, 3});
        awaitRedisUp(1);

        redis.stop();

        assertUnavailable(() -> quick().getResponse(lookup(key)));
        assertUnavailable(() -> cache.put("acme", MODEL, "0", key, new byte[] {4}));
        assertUnavailable(() -> cache.find("acme", MODEL, "g", List.of(key)));
        assertUnavailable(() -> quick().restoreLongestPrefix(CacheTestClient.lookup("acme", MODEL, "g", List.of(key)))
                .hasNext());
        assertUnavailable(() -> quick().getKvState(KvStateLookup.newBuilder().setSchemaVersion(1)
                .setKey(kvKey("acme", MODEL, "g", key)).build()).hasNext());
        assertUnavailable(() -> cache.putKv(kvKey("acme", MODEL, "g", key), 10, new byte[100], 50));
        assertUnavailable(() -> quick().stats(TenantRequest.newBuilder().setSchemaVersion(1).setTenant("acme").build()));
        assertUnavailable(() -> quick().flush(TenantRequest.newBuilder().setSchemaVersion(1).setTenant("acme").build()));
        HttpResponse<String> admin = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + managementPort + "/admin/tenants/acme/stats")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(admin.statusCode()).isEqualTo(503);
        assertThat(JsonMapper.shared().readTree(admin.body()).path("error").path("code").asString())
                .isEqualTo("redis_unavailable");
        awaitRedisUp(0);

        redis.start();

        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
                assertThat(quick().getResponse(lookup(key)).getFound()).as("the restarted Redis is empty").isFalse());
        cache.put("acme", MODEL, "0", key, new byte[] {5});
        assertThat(cache.get("acme", MODEL, "0", key).getEntry().getBody().toByteArray()).containsExactly(5);
        awaitRedisUp(1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(redis.commands().configGet("maxmemory-policy")).containsEntry("maxmemory-policy", "volatile-lru"));
    }

    @Test
    void stalledRedis_answersUnavailable_insteadOfHanging_andRecovers() throws Exception {
        byte[] key = sha256("stall");
        cache.put("acme", MODEL, "0", key, new byte[] {9});
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", redis.port()));
        AtomicBoolean sawUnavailable = new AtomicBoolean();
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            var stall = connection.async().dispatch(CommandType.DEBUG, new StatusOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add("SLEEP").add(6));   // Redis answers nobody for 6 s

            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
                try {
                    quick().getResponse(lookup(key));
                    return false;
                } catch (StatusRuntimeException e) {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    sawUnavailable.set(true);
                    return true;
                }
            });
            stall.get(30, TimeUnit.SECONDS);
        } finally {
            client.shutdown();
        }

        assertThat(sawUnavailable).isTrue();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                assertThat(quick().getResponse(lookup(key)).getFound()).isTrue());
    }

    private dev.dragon.contracts.v1.CacheServiceGrpc.CacheServiceBlockingStub quick() {
        return cache.blocking().withDeadlineAfter(CALLER_DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    private static dev.dragon.contracts.v1.ResponseLookup lookup(byte[] key) {
        return dev.dragon.contracts.v1.ResponseLookup.newBuilder().setSchemaVersion(1).setTenant("acme")
                .setModelVersion(MODEL).setAdapterVersion("0")
                .setKey(com.google.protobuf.ByteString.copyFrom(key)).build();
    }

    private void awaitRedisUp(double value) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(meters.get("dragon.cache.redis.up").gauge().value()).isEqualTo(value));
    }

    private static void assertUnavailable(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(e.getStatus().getDescription()).contains("Redis unavailable");
        });
    }
}
