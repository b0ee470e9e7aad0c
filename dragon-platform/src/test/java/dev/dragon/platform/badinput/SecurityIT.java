package dev.dragon.platform.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.contracts.events.AdapterSignatures;
import dev.dragon.contracts.events.AdapterVersionEvent;
import dev.dragon.contracts.events.AdapterWeights;
import dev.dragon.contracts.events.EventTopics;
import dev.dragon.platform.Prometheus;
import dev.dragon.platform.chaos.ChaosStack;
import dev.dragon.platform.chaos.ReliabilityStack;
import dev.dragon.platform.chaos.TopicAudit;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Security properties of the running stack, checked from outside as an attacker or an auditor would: keys at rest
 * and in logs, tenant isolation of the response cache, rate limits and feedback, the admin and actuator surfaces,
 * and adapter versions on {@code dragon.adapters} that the learner did not sign.
 */
@ExtendWith(ReliabilityStack.Resolver.class)
class SecurityIT {

    private static ChaosStack stack;
    private static String keyA;
    private static String keyB;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start(ReliabilityStack shared) {
        stack = shared.stack();
        keyA = stack.admin().tenantWithKey("tenant-a", 10_000, 10_000_000);
        keyB = stack.admin().tenantWithKey("tenant-b", 10_000, 10_000_000);
    }

    private static HttpResponse<String> post(String path, String key, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(stack.gatewayBase() + path))
                .timeout(Duration.ofMinutes(2)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BadInputGenerator.JSON.writeValueAsString(body)));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return send(b.build());
    }

    private static HttpResponse<String> get(String url, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return send(b.build());
    }

    private static HttpResponse<String> send(HttpRequest r) {
        try {
            return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> greedy(String prompt) {
        return Map.of("model", "dragon-moe-mini", "max_tokens", 8, "temperature", 0,
                "messages", List.of(Map.of("role", "user", "content", prompt)));
    }

    @Test
    void apiKeys_areHashedAtRest_andAbsentFromEveryServiceLog() throws IOException {
        assertThat(post("/v1/chat/completions", keyA, greedy("hello")).statusCode()).isEqualTo(200);
        List<byte[]> stored;
        try (Resp redis = new Resp(stack.redisPort())) {
            stored = redis.everyKeyAndValue();
        }
        assertThat(stored).as("Redis holds the gateway's key records").isNotEmpty();
        for (String key : List.of(keyA, keyB)) {
            String secret = key.substring(key.lastIndexOf('_') + 1);
            assertThat(stored).as("plain key or its secret in a Redis key or value").noneMatch(b -> {
                String s = new String(b, StandardCharsets.ISO_8859_1);
                return s.contains(key) || s.contains(secret);
            });
            try (Stream<Path> logs = Files.list(stack.logs())) {
                for (Path log : logs.toList()) {
                    String text = Files.readString(log, StandardCharsets.ISO_8859_1);
                    assertThat(text).as(log.getFileName() + " contains the plain key").doesNotContain(key)
                            .doesNotContain(secret);
                }
            }
        }
    }

    @Test
    void tenantB_cannotReadTenantAsCachedResponse() {
        // the routers use the cache again (not "bypass") once their breakers closed after any earlier Redis fault
        Awaitility.await().atMost(120, TimeUnit.SECONDS).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (int i = 0; i < 4; i++) {                   // the gateway alternates between the two routers
                assertThat(post("/v1/chat/completions", keyA, greedy("Warm " + UUID.randomUUID())).headers()
                        .firstValue("x-dragon-cache")).hasValue("miss");
            }
        });
        Map<String, Object> body = greedy("Cache isolation probe " + UUID.randomUUID());
        HttpResponse<String> first = post("/v1/chat/completions", keyA, body);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.headers().firstValue("x-dragon-cache")).hasValue("miss");
        Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(post("/v1/chat/completions", keyA, body).headers().firstValue("x-dragon-cache"))
                        .as("A's repeat is served from A's cache entry").hasValue("hit"));

        HttpResponse<String> b = post("/v1/chat/completions", keyB, body);
        assertThat(b.statusCode()).isEqualTo(200);
        assertThat(b.headers().firstValue("x-dragon-cache")).as("B's first answer").hasValue("miss");
    }

    @Test
    void rateLimits_arePerTenant_oneTenantsExhaustedLimitLeavesAnotherUntouched() {
        String slow = stack.admin().tenantWithKey("tenant-slow-" + UUID.randomUUID().toString().substring(0, 8), 2, 100_000);
        String other = stack.admin().tenantWithKey("tenant-other-" + UUID.randomUUID().toString().substring(0, 8), 2, 100_000);
        int refused = 0;
        for (int i = 0; i < 4; i++) {                       // invalid bodies: the limit is checked before the body
            int status = post("/v1/chat/completions", slow, Map.of()).statusCode();
            refused += status == 429 ? 1 : 0;
        }
        assertThat(refused).as("requests of a 2-per-minute tenant refused with 429").isGreaterThanOrEqualTo(1);
        HttpResponse<String> r = post("/v1/chat/completions", other, Map.of());
        assertThat(r.statusCode()).as("another tenant's first request: " + r.body()).isEqualTo(400);
    }

    @Test
    void feedbackForAnotherTenantsResponse_isPublishedUnderTheCallersTenant_notTheOwners() {
        HttpResponse<String> a = post("/v1/chat/completions", keyA, Map.of("model", "dragon-moe-mini", "max_tokens", 4,
                "messages", List.of(Map.of("role", "user", "content", "feedback probe " + UUID.randomUUID()))));
        assertThat(a.statusCode()).isEqualTo(200);
        String responseId = BadInputGenerator.JSON.readTree(a.body()).path("id").asString();
        HttpResponse<String> fb = post("/v1/feedback", keyB, Map.of("response_id", responseId, "rating", 1));
        assertThat(fb.statusCode()).as(fb.body()).isEqualTo(202);
        Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            List<JsonNode> events = TopicAudit.records(stack.kafka().bootstrap(), EventTopics.FEEDBACK,
                            Duration.ofSeconds(20)).stream().filter(e -> responseId.equals(e.getKey()))
                    .map(e -> BadInputGenerator.JSON.readTree(e.getValue())).toList();
            assertThat(events).hasSize(1);
            assertThat(events.getFirst().path("tenant").asString()).isEqualTo("tenant-b");
        });
    }

    @Test
    void feedbackForAnUnknownResponseId_isDroppedByTheLearner() {
        String learner = stack.base("learner");
        String metric = "dragon_learner_feedback_dropped_total";
        String reason = "reason=\"unknown_response\"";
        double before = Prometheus.sum(Prometheus.scrape(learner), metric, reason).orElse(0);
        String unknown = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        HttpResponse<String> fb = post("/v1/feedback", keyB, Map.of("response_id", unknown, "rating", 1));
        assertThat(fb.statusCode()).as(fb.body()).isEqualTo(202);
        // the learner holds feedback up to feedback-wait (30 s) for its interaction, then drops it as unknown
        Awaitility.await().atMost(150, TimeUnit.SECONDS).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(Prometheus.sum(Prometheus.scrape(learner), metric, reason).orElse(0))
                        .as("feedback dropped as unknown_response").isGreaterThan(before));
    }

    @Test
    void adminApi_refusesTenantKeys_andNoCredential() {
        for (String credential : new String[] {keyA, null, "dgn_000000000000_forged"}) {
            HttpResponse<String> r = stack.admin().send("GET", "/admin/tenants", null, credential);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
            assertThat(BadInputRun.isOpenAiError(r.body())).as(r.body()).isTrue();
        }
        HttpResponse<String> create = stack.admin().send("POST", "/admin/tenants/tenant-a/keys", Map.of(), keyA);
        assertThat(create.statusCode()).isEqualTo(401);
    }

    @Test
    void actuator_isNotServedOnThePublicPort() {
        for (String path : List.of("/actuator", "/actuator/health", "/actuator/prometheus", "/actuator/env",
                "/actuator/gateway/routes")) {
            for (String key : new String[] {null, keyA}) {
                HttpResponse<String> r = get(stack.gatewayBase() + path, key);
                assertThat(r.statusCode()).as(path + " on the public port").isIn(401, 404);
                assertThat(r.body()).doesNotContain("jvm_", "\"status\":\"UP\"", "routeId");
            }
        }
        assertThat(get(stack.gatewayManagementBase() + "/actuator/prometheus", null).body()).contains("jvm_");
    }

    @Test
    void corruptedOrUnsignedAdapterVersions_areRefusedByEveryRouter_andTheLiveVersionStays() {
        List<String> routers = stack.routerBases();
        double[] versionBefore = routers.stream().mapToDouble(r -> Prometheus.read(r, "dragon_adapter_version", null)).toArray();
        double[] rejectedBefore = routers.stream().mapToDouble(SecurityIT::rejected).toArray();

        int p = 256;
        int d = 256;
        float[] w1 = new float[p * d];
        float[] w2 = new float[d * p];
        w1[0] = 0.5f;
        AdapterSignatures signer = new AdapterSignatures(stack.signingKey());
        long version = 900_000 + (System.nanoTime() & 0xffff);
        AdapterVersionEvent signed = signer.signedVersion(version, 0, null, "dragon-moe-mini", null,
                System.currentTimeMillis(), p, d, w1, w2, "predictive-coding", null);
        // corrupted in transit: the learner's signature over the checksum, but other weights
        w1[1] = 9f;
        AdapterVersionEvent corrupted = new AdapterVersionEvent(1, version, 0, null, signed.model(), signed.modelVersion(),
                signed.createdAtMs(), p, d, AdapterWeights.encode(w1), signed.w2(), signed.checksum(), signed.signature(),
                signed.method(), null);
        // unsigned: consistent weights and checksum, but no valid signature (someone without the key)
        AdapterVersionEvent unsigned = new AdapterVersionEvent(1, version + 1, 0, null, signed.model(),
                signed.modelVersion(), signed.createdAtMs(), p, d, signed.w1(), signed.w2(), signed.checksum(),
                "0".repeat(64), signed.method(), null);
        publish(EventTopics.versionKey(version), BadInputGenerator.JSON.writeValueAsBytes(corrupted));
        publish(EventTopics.versionKey(version + 1), BadInputGenerator.JSON.writeValueAsBytes(unsigned));

        Awaitility.await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (int i = 0; i < routers.size(); i++) {
                assertThat(rejected(routers.get(i)) - rejectedBefore[i]).as(routers.get(i) + " versions rejected")
                        .isGreaterThanOrEqualTo(2);
            }
        });
        for (int i = 0; i < routers.size(); i++) {
            // the learner may promote a real version meanwhile (feedback of other tests); never a forged one
            assertThat(Prometheus.read(routers.get(i), "dragon_adapter_version", null)).as("live version")
                    .isGreaterThanOrEqualTo(versionBefore[i]).isNotIn((double) version, (double) version + 1);
        }
    }

    private static double rejected(String router) {
        double v = Prometheus.read(router, "dragon_adapter_rejected_total", null);
        return Double.isNaN(v) ? 0 : v;
    }

    private static void publish(String key, byte[] value) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(EventTopics.ADAPTERS, key, value)).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish to " + EventTopics.ADAPTERS + ": " + e, e);
        }
    }
}
