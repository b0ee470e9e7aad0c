package dev.dragon.cache.admin;

import static dev.dragon.cache.testing.CacheTestClient.kvKey;
import static dev.dragon.cache.testing.CacheTestClient.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.cache.redis.RedisStatsPoller;
import dev.dragon.cache.testing.CacheServiceTest;
import dev.dragon.cache.testing.CacheTestClient;
import dev.dragon.cache.testing.RedisTestServer;
import dev.dragon.contracts.v1.FlushResult;
import dev.dragon.contracts.v1.TenantRequest;
import dev.dragon.contracts.v1.TenantStats;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Per-tenant flush and stats: HTTP on the management port and gRPC, against a real Redis. */
@CacheServiceTest
class TenantAdminIT {

    private static final String MODEL = "dragon-moe-mini@1.0.0";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalManagementPort int managementPort;
    @LocalServerPort int serverPort;
    @Autowired CacheTestClient cache;
    @Autowired RedisTestServer redis;
    @Autowired RedisStatsPoller poller;
    @Autowired MeterRegistry meters;

    /** Two responses and one KV state for {@code tenant}; returns the bytes of the two responses. */
    private long fill(String tenant) {
        byte[] small = new byte[100];
        byte[] large = new byte[200];
        cache.put(tenant, MODEL, "0", sha256(tenant + "1"), small);
        cache.put(tenant, MODEL, "0", sha256(tenant + "2"), large);
        cache.putKv(kvKey(tenant, MODEL, "g", sha256(tenant + "kv")), 32, new byte[5000], 2048);
        return CacheTestClient.entry(small).getSerializedSize() + CacheTestClient.entry(large).getSerializedSize();
    }

    @Test
    void stats_reportEntriesBytesHitsAndMisses_ofOneTenantOnly() throws Exception {
        long responseBytes = fill("stats-a");
        fill("stats-b");
        cache.get("stats-a", MODEL, "0", sha256("stats-a1"));
        cache.get("stats-a", MODEL, "0", sha256("stats-a2"));
        cache.get("stats-a", MODEL, "0", sha256("nothing"));
        cache.find("stats-a", MODEL, "g", List.of(sha256("stats-akv")));
        cache.find("stats-a", MODEL, "g", List.of(sha256("no prefix")));

        HttpResponse<String> http = send("GET", managementPort, "/admin/tenants/stats-a/stats");
        TenantStats grpc = cache.blocking().stats(TenantRequest.newBuilder().setSchemaVersion(1).setTenant("stats-a").build());

        assertThat(http.statusCode()).isEqualTo(200);
        JsonNode body = JsonMapper.shared().readTree(http.body());
        assertThat(body.path("tenant").asString()).isEqualTo("stats-a");
        assertFigures(body.path("response"), 2, responseBytes, 2, 1);
        assertFigures(body.path("kv"), 1, 5000, 1, 1);
        assertThat(grpc.getResponse().getEntries()).isEqualTo(2);
        assertThat(grpc.getResponse().getBytes()).isEqualTo(responseBytes);
        assertThat(grpc.getKv().getHits()).isEqualTo(1);
    }

    @Test
    void flushOverHttp_deletesEveryKeyOfTheTenant_andNothingElse() throws Exception {
        fill("flush-a");
        fill("flush-b");
        cache.get("flush-a", MODEL, "0", sha256("flush-a1"));
        int keysBefore = redis.keys("*:t:flush-a:*").size();

        HttpResponse<String> flushed = send("POST", managementPort, "/admin/tenants/flush-a/flush");

        assertThat(flushed.statusCode()).isEqualTo(200);
        assertThat(JsonMapper.shared().readTree(flushed.body()).path("deleted_keys").asLong()).isEqualTo(keysBefore);
        assertThat(keysBefore).as("2 entries, 1 KV header + 3 chunks, 2 indexes, counters").isEqualTo(9);
        assertThat(redis.keys("*:t:flush-a:*")).isEmpty();
        assertThat(cache.get("flush-a", MODEL, "0", sha256("flush-a1")).getFound()).isFalse();
        assertThat(cache.get("flush-b", MODEL, "0", sha256("flush-b1")).getFound()).isTrue();
        JsonNode after = JsonMapper.shared().readTree(send("GET", managementPort, "/admin/tenants/flush-a/stats").body());
        assertFigures(after.path("response"), 0, 0, 0, 1);
    }

    @Test
    void flushOverGrpc_deletesTheTenantsEntries() {
        fill("grpc-flush");

        FlushResult result = cache.blocking().flush(TenantRequest.newBuilder().setSchemaVersion(1)
                .setTenant("grpc-flush").build());

        assertThat(result.getDeletedKeys()).isEqualTo(8);
        assertThat(redis.keys("*:t:grpc-flush:*")).isEmpty();
    }

    @Test
    void adminEndpoints_liveOnlyOnTheManagementPort() throws Exception {
        assertThat(send("GET", serverPort, "/admin/tenants/acme/stats").statusCode()).isEqualTo(404);
        assertThat(send("POST", serverPort, "/admin/tenants/acme/flush").statusCode()).isEqualTo(404);
    }

    @Test
    void malformedTenant_getsAnOpenAiStyle400_withTheRequestId() throws Exception {
        HttpResponse<String> response = send("POST", managementPort, "/admin/tenants/a%3Ab/flush");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JsonMapper.shared().readTree(response.body()).path("error");
        assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.path("param").asString()).isEqualTo("tenant");
        assertThat(error.path("code").asString()).isEqualTo("invalid_tenant");
        assertThat(error.path("message").asString()).contains("a:b");
        assertThat(response.headers().firstValue("x-dragon-request-id")).isPresent();
    }

    @Test
    void entriesGauge_countsTheLiveEntriesOfAllTenants() {
        fill("gauge-a");
        fill("gauge-b");

        poller.pollOnce().block(Duration.ofSeconds(30));

        long responses = redis.keys("*:t:*:resp:*").size();
        long states = redis.keys("*:t:*:kv:*").stream().filter(k -> redis.commands().type(k).equals("hash")).count();
        assertThat(responses).isGreaterThanOrEqualTo(4);
        assertThat(meters.get("dragon.cache.entries").tag("cache", "response").gauge().value()).isEqualTo(responses);
        assertThat(meters.get("dragon.cache.entries").tag("cache", "kv").gauge().value()).isEqualTo(states);
    }

    private static void assertFigures(JsonNode figures, long entries, long bytes, long hits, long misses) {
        assertThat(figures.path("entries").asLong()).as("entries").isEqualTo(entries);
        assertThat(figures.path("bytes").asLong()).as("bytes").isEqualTo(bytes);
        assertThat(figures.path("hits").asLong()).as("hits").isEqualTo(hits);
        assertThat(figures.path("misses").asLong()).as("misses").isEqualTo(misses);
    }

    private static HttpResponse<String> send(String method, int port, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
