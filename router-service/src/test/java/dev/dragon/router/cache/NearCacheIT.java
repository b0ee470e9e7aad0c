package dev.dragon.router.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.dragon.contracts.http.ServerTiming;
import dev.dragon.contracts.openai.OpenAiJson;
import dev.dragon.router.RouterApplication;
import dev.dragon.router.testing.ApiClient;
import dev.dragon.router.testing.RouterProcess;
import dev.dragon.support.web.DragonHeaders;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.node.ObjectNode;

/**
 * Two routers in front of one gRPC CacheService (entries in a real Redis server, purges watched over
 * WatchPurges): hits served from each router's near cache in the framing of a fresh answer, a tenant purge
 * reaching both routers within a second, tenants kept apart, and a purge made while a router could not hear
 * it applied before that router serves from its near cache again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NearCacheIT {

    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final String MODEL = "dragon-moe-mini";
    private static final OpenAiJson JSON = new OpenAiJson();

    private RedisProcess redis;
    private CacheEntries.Redis entries;
    private ContractCacheService service;
    private CacheServer cacheServer;
    private ConfigurableApplicationContext routerA;
    private RouterProcess routerB;
    private ApiClient a;
    private ApiClient b;

    @BeforeAll
    void start() {
        redis = new RedisProcess();
        entries = CacheEntries.redis(redis.port());
        service = new ContractCacheService(entries, 64 * 1024, true);
        cacheServer = new CacheServer(service);
        List<String> args = List.of(
                "--dragon.router.cache.target=" + cacheServer.target(),
                "--dragon.router.cache.timeout=3s",
                "--dragon.router.cache.near.rewatch-delay=100ms",
                "--dragon.router.cache.breaker.open-for=500ms",
                "--dragon.router.tenant.default-tenant=anonymous");
        List<String> inProcess = new ArrayList<>(args);
        inProcess.add("--server.port=0");
        routerA = new SpringApplicationBuilder(RouterApplication.class).run(inProcess.toArray(String[]::new));
        a = new ApiClient(routerA.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
        // ONNX Runtime's environment is one per process: the second router is the jar in a process of its own
        routerB = RouterProcess.start("near-cache-router-b", args.toArray(String[]::new));
        b = new ApiClient(routerB.port());
    }

    @AfterAll
    void stop() throws Exception {
        if (routerB != null) {
            routerB.close();
        }
        if (routerA != null) {
            routerA.close();
        }
        cacheServer.close();
        entries.close();
        redis.close();
    }

    private static String chat(String content, boolean stream) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("model", MODEL, "temperature", 0, "max_tokens", 12,
                "messages", List.of(Map.of("role", "user", "content", content))));
        if (stream) {
            body.put("stream", true);
            body.put("stream_options", Map.of("include_usage", true));
        }
        return JSON.writeString(body);
    }

    private static HttpResponse<String> post(ApiClient api, String body, String tenant) {
        HttpResponse<String> r = api.post("/v1/chat/completions", body, DragonHeaders.TENANT, tenant);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r;
    }

    /** {@code hit near}, {@code hit shared}, {@code miss} or {@code bypass}. */
    private static String served(HttpResponse<String> r) {
        String cache = r.headers().firstValue(DragonHeaders.CACHE).orElse("(none)");
        return r.headers().firstValue(DragonHeaders.CACHE_TIER).map(t -> cache + " " + t).orElse(cache);
    }

    /** Repeats the request (each a 200) until it is served from this router's near cache. */
    private static HttpResponse<String> awaitNear(ApiClient api, String body, String tenant) {
        List<HttpResponse<String>> near = new ArrayList<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            HttpResponse<String> r = post(api, body, tenant);
            if (served(r).equals("hit near")) {
                near.add(r);
            }
            return !near.isEmpty();
        });
        return near.getFirst();
    }

    @Test
    void aNearHit_isFramedExactlyLikeAFreshAnswer_asAStreamAndAsOneObject() {
        String stream = chat("Tell me about the lighthouse.", true);
        HttpResponse<String> fresh = post(a, stream, "acme");
        HttpResponse<String> near = awaitNear(a, stream, "acme");

        assertThat(served(fresh)).isEqualTo("miss");
        assertThat(near.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
        double serverMs = ServerTiming.millis(near.headers().firstValue(DragonHeaders.SERVER_TIMING).orElse(null), "near");
        assertThat(serverMs).as("the router's own time for the hit, in Server-Timing").isGreaterThan(0).isLessThan(10_000);
        assertThat(near.headers().firstValue(DragonHeaders.ADAPTER_VERSION))
                .isEqualTo(fresh.headers().firstValue(DragonHeaders.ADAPTER_VERSION));
        List<String> freshFrames = ApiClient.sseFrames(fresh.body());
        List<String> nearFrames = ApiClient.sseFrames(near.body());
        assertThat(normalized(nearFrames)).isEqualTo(normalized(freshFrames));
        String id = a.json(nearFrames.getFirst()).path("id").asString();
        assertThat(id).startsWith("chatcmpl-").isNotEqualTo(a.json(freshFrames.getFirst()).path("id").asString());
        assertThat(nearFrames.subList(0, nearFrames.size() - 1))
                .allSatisfy(f -> assertThat(a.json(f).path("id").asString()).isEqualTo(id));
        assertThat(a.json(nearFrames.getFirst()).path("created").asLong())
                .isCloseTo(System.currentTimeMillis() / 1000, within(5L));

        String whole = chat("Tell me about the lighthouse.", false);   // the same key: framing is not part of it
        HttpResponse<String> object = post(a, whole, "acme");
        assertThat(served(object)).isEqualTo("hit near");
        assertThat(object.headers().firstValue("content-type").orElseThrow()).startsWith("application/json");
        ObjectNode o = (ObjectNode) a.json(object.body());
        assertThat(o.path("choices").path(0).path("message").path("content").asString())
                .isEqualTo(content(freshFrames));
        assertThat(o.path("usage").path("completion_tokens").asInt()).isEqualTo(12);
        assertThat(o.path("id").asString()).startsWith("chatcmpl-").isNotEqualTo(id);
    }

    @Test
    void aTenantPurge_reachesBothRoutersNearCaches_withinASecond() {
        String body = chat("Which way to the harbour?", false);
        assertThat(served(post(a, body, "purged"))).isEqualTo("miss");
        awaitNear(a, body, "purged");
        awaitNear(b, body, "purged");                   // from its own miss or from cache-service's entry
        String other = chat("Which way to the harbour?", false);
        post(a, other, "kept");
        awaitNear(a, other, "kept");

        service.flushTenant("purged");
        Map<ApiClient, String> afterPurge = new java.util.concurrent.ConcurrentHashMap<>();
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(5)).until(() -> {
            for (ApiClient router : List.of(a, b)) {
                if (!afterPurge.containsKey(router)) {
                    String outcome = served(post(router, body, "purged"));
                    if (!outcome.equals("hit near")) {
                        afterPurge.put(router, outcome);
                    }
                }
            }
            return afterPurge.size() == 2;
        });

        assertThat(afterPurge.get(a)).as("gone from cache-service too").isEqualTo("miss");
        assertThat(afterPurge.get(b)).as("a miss, or A's new answer stored since").isIn("miss", "hit shared");
        assertThat(served(post(a, other, "kept"))).as("another tenant's entries stay").isEqualTo("hit near");
    }

    @Test
    void tenants_neverShareNearEntries() {
        String body = chat("Every tenant keeps its own diary.", false);
        post(a, body, "initech");
        awaitNear(a, body, "initech");

        assertThat(served(post(a, body, "umbrella"))).isEqualTo("miss");
    }

    @Test
    void aPurgeMadeWhileARouterCouldNotHearIt_isAppliedBeforeItServesNearHitsAgain() {
        String body = chat("What did the sailor forget?", false);
        post(a, body, "offline");
        HttpResponse<String> before = awaitNear(a, body, "offline");

        cacheServer.stop();
        await().atMost(Duration.ofSeconds(5)).until(() -> !servingA());
        assertThat(served(post(a, body, "offline"))).as("cache-service gone: answered, not from the near cache")
                .isEqualTo("bypass");
        service.flushTenant("offline");                 // logged while router A cannot watch
        cacheServer.start();

        await().atMost(Duration.ofSeconds(10)).until(this::servingA);
        HttpResponse<String> after = post(a, body, "offline");
        assertThat(served(after)).as("the missed purge was replayed first").isIn("miss", "bypass");
        assertThat(a.json(after.body()).path("choices")).isEqualTo(a.json(before.body()).path("choices"));
    }

    private boolean servingA() {
        return routerA.getBean(NearResponseCache.class).isServing();
    }

    private String content(List<String> frames) {
        StringBuilder text = new StringBuilder();
        for (String f : frames) {
            if (!f.equals("[DONE]")) {
                a.json(f).path("choices").forEach(c -> text.append(c.path("delta").path("content").asString("")));
            }
        }
        return text.toString();
    }

    /** Frames without the per-response id and timestamp. */
    private List<String> normalized(List<String> frames) {
        return frames.stream().map(f -> {
            if (f.equals("[DONE]")) {
                return f;
            }
            ObjectNode o = (ObjectNode) a.json(f);
            o.remove("id");
            o.remove("created");
            return o.toString();
        }).toList();
    }
}
