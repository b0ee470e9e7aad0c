package dev.dragon.router.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.dragon.contracts.openai.OpenAiJson;
import dev.dragon.core.adapter.PcAdapter;
import dev.dragon.core.engine.LocalEngine;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The router answering through both caches, over real HTTP, with a real gRPC CacheService whose entries live
 * in a real Redis server ({@code redis-server} on a random port): {@code x-dragon-cache} on every answer, a hit
 * replayed in the framing of a fresh answer, tenants and adapter versions kept apart, a restored KV prefix
 * continuing like a cold prefill, Redis going away and coming back with no failed request, and a hit served
 * by a restarted router.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CachedAnswersIT {

    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final String MODEL = "dragon-moe-mini";
    private static final OpenAiJson JSON = new OpenAiJson();

    private RedisProcess redis;
    private CacheEntries.Redis entries;
    private CacheServer cacheServer;
    private ConfigurableApplicationContext router;
    private ApiClient api;

    @BeforeAll
    void start() {
        redis = new RedisProcess();
        entries = CacheEntries.redis(redis.port());
        cacheServer = new CacheServer(new ContractCacheService(entries, 64 * 1024));
        startRouter();
    }

    @AfterAll
    void stop() throws Exception {
        if (router != null) {
            router.close();
        }
        cacheServer.close();
        entries.close();
        redis.close();
    }

    private void startRouter() {
        List<String> args = new ArrayList<>(routerArgs());
        args.add("--server.port=0");
        router = new SpringApplicationBuilder(RouterApplication.class).run(args.toArray(String[]::new));
        api = new ApiClient(router.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
    }

    /** Command-line arguments (over application.yaml) of every router of this test. */
    private List<String> routerArgs() {
        return List.of("--dragon.router.cache.target=" + cacheServer.target(),
                "--dragon.router.cache.timeout=3s",              // a loaded 2-core machine; Redis answers in ms
                "--dragon.router.cache.kv-timeout=30s",
                "--dragon.router.cache.precision=fp32",          // exact states: the warm run must equal the cold one
                "--dragon.router.cache.breaker.open-for=500ms",
                "--dragon.router.tenant.default-tenant=anonymous");
    }

    private static String completion(String prompt, Object... extra) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("model", MODEL, "prompt", prompt,
                "temperature", 0, "max_tokens", 8));
        for (int i = 0; i < extra.length; i += 2) {
            body.put((String) extra[i], extra[i + 1]);
        }
        return JSON.writeString(body);
    }

    private HttpResponse<String> post(String path, String body, String... headers) {
        HttpResponse<String> r = api.post(path, body, headers);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r;
    }

    private static String cache(HttpResponse<String> r) {
        return r.headers().firstValue(DragonHeaders.CACHE).orElse("(none)");
    }

    /** Repeats the request (every answer a 200) until one is a hit: the miss's store is asynchronous. */
    private HttpResponse<String> awaitHit(String path, String body, String... headers) {
        List<HttpResponse<String>> hit = new ArrayList<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            HttpResponse<String> r = post(path, body, headers);
            if ("hit".equals(cache(r))) {
                hit.add(r);
            }
            return !hit.isEmpty();
        });
        return hit.getFirst();
    }

    @Test
    @Order(1)
    void deterministicAnswer_isAMissThenAHit_withTheSameAnswer_whileOthersBypass() {
        String body = completion("The river flows past the old mill and");
        HttpResponse<String> fresh = post("/v1/completions", body);
        HttpResponse<String> hit = awaitHit("/v1/completions", body);

        assertThat(cache(fresh)).isEqualTo("miss");
        JsonNode a = api.json(fresh.body());
        JsonNode b = api.json(hit.body());
        assertThat(b.path("choices")).isEqualTo(a.path("choices"));
        assertThat(b.path("usage")).isEqualTo(a.path("usage"));
        assertThat(b.path("system_fingerprint")).isEqualTo(a.path("system_fingerprint"));
        assertThat(b.path("id").asString()).startsWith("cmpl-").isNotEqualTo(a.path("id").asString());
        assertThat(hit.headers().firstValue(DragonHeaders.ADAPTER_VERSION))
                .isEqualTo(fresh.headers().firstValue(DragonHeaders.ADAPTER_VERSION));

        assertThat(cache(post("/v1/completions", completion("The river flows past", "temperature", 0.8))))
                .as("unseeded sampling is never cached").isEqualTo("bypass");
        assertThat(cache(post("/v1/completions", completion("The river flows past the old mill and",
                "dragon", Map.of("cache", false))))).as("opted out").isEqualTo("bypass");
        String seeded = completion("A seeded walk through the woods", "temperature", 0.8, "seed", 7);
        assertThat(cache(post("/v1/completions", seeded))).isEqualTo("miss");
        assertThat(api.json(awaitHit("/v1/completions", seeded).body()).path("choices"))
                .isEqualTo(api.json(post("/v1/completions", completion("A seeded walk through the woods",
                        "temperature", 0.8, "seed", 7, "dragon", Map.of("cache", false))).body()).path("choices"));
    }

    @Test
    @Order(2)
    void replayedHit_isFramedExactlyLikeTheFreshStream() {
        String body = api.write(Map.of("model", MODEL, "temperature", 0, "max_tokens", 10, "stream", true,
                "stream_options", Map.of("include_usage", true),
                "messages", List.of(Map.of("role", "user", "content", "Tell me about the sea."))));
        HttpResponse<String> fresh = post("/v1/chat/completions", body);
        HttpResponse<String> hit = awaitHit("/v1/chat/completions", body);

        assertThat(cache(fresh)).isEqualTo("miss");
        assertThat(hit.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
        List<String> freshFrames = ApiClient.sseFrames(fresh.body());
        List<String> hitFrames = ApiClient.sseFrames(hit.body());
        assertThat(hitFrames.getLast()).isEqualTo("[DONE]");
        assertThat(hitFrames).hasSize(freshFrames.size());
        assertThat(normalized(hitFrames)).isEqualTo(normalized(freshFrames));
        assertThat(api.json(hitFrames.get(hitFrames.size() - 2)).path("usage").path("completion_tokens").asInt())
                .isEqualTo(10);
    }

    /** Frames without the per-response id and timestamp. */
    private List<String> normalized(List<String> frames) {
        return frames.stream().map(f -> {
            if (f.equals("[DONE]")) {
                return f;
            }
            ObjectNode o = (ObjectNode) api.json(f);
            o.remove("id");
            o.remove("created");
            return o.toString();
        }).toList();
    }

    @Test
    @Order(3)
    void tenants_neverShareEntries() {
        String body = completion("Every tenant has its own secret garden");
        assertThat(cache(post("/v1/completions", body, DragonHeaders.TENANT, "acme"))).isEqualTo("miss");
        awaitHit("/v1/completions", body, DragonHeaders.TENANT, "acme");

        assertThat(cache(post("/v1/completions", body, DragonHeaders.TENANT, "globex"))).isEqualTo("miss");
        assertThat(cache(post("/v1/completions", body))).as("no header: the default tenant").isEqualTo("miss");
    }

    @Test
    @Order(4)
    void aNewAdapterVersion_neverServesEntriesOfTheOldOne() {
        String body = completion("Learning never stops for the");
        post("/v1/completions", body);
        awaitHit("/v1/completions", body);
        LocalEngine engine = router.getBean(LocalEngine.class);
        PcAdapter before = engine.adapter();
        try {
            engine.setAdapter(PcAdapter.of(before.version() + "-next", before.version(), before.pcHidden(),
                    before.dModel(), before.w1Array(), before.w2Array()));
            HttpResponse<String> after = post("/v1/completions", body);
            assertThat(cache(after)).isEqualTo("miss");
            assertThat(after.headers().firstValue(DragonHeaders.ADAPTER_VERSION)).hasValue(before.version() + "-next");
            awaitHit("/v1/completions", body);
        } finally {
            engine.setAdapter(before);
        }
    }

    @Test
    @Order(5)
    void restoredKvPrefix_continuesExactlyLikeTheColdPrefill() {
        String prompt = "Once upon a time, in a small village by the sea, there lived an old fisherman who told "
                + "stories to the children every evening. One night, as the wind howled over the rooftops, he began "
                + "a tale that nobody had heard before, about a lighthouse and";
        String body = completion(prompt, "max_tokens", 12, "logprobs", 2, "dragon", Map.of("cache", false));
        long statesBefore = entries.count("kv");
        double restoredBefore = restoredTokens();
        JsonNode cold = api.json(post("/v1/completions", body, DragonHeaders.TENANT, "kv").body());
        await().atMost(WAIT).until(() -> entries.count("kv") > statesBefore);

        JsonNode warm = api.json(post("/v1/completions", body, DragonHeaders.TENANT, "kv").body());

        assertThat(restoredTokens() - restoredBefore).as("prompt tokens restored instead of prefilled")
                .isGreaterThanOrEqualTo(32);
        assertThat(cold.path("usage").path("prompt_tokens_details").path("cached_tokens").asInt()).isZero();
        assertThat(warm.path("usage").path("prompt_tokens_details").path("cached_tokens").asDouble())
                .as("the usage reports what was restored").isEqualTo(restoredTokens() - restoredBefore);
        JsonNode c = cold.path("choices").get(0).path("logprobs");
        JsonNode w = warm.path("choices").get(0).path("logprobs");
        assertThat(w.path("tokens")).isEqualTo(c.path("tokens"));
        assertThat(warm.path("choices").get(0).path("text")).isEqualTo(cold.path("choices").get(0).path("text"));
        for (int i = 0; i < c.path("token_logprobs").size(); i++) {
            assertThat(w.path("token_logprobs").get(i).asDouble())
                    .isCloseTo(c.path("token_logprobs").get(i).asDouble(), within(1e-4));
        }
    }

    private double restoredTokens() {
        String metrics = api.get("/actuator/prometheus").body();
        return metrics.lines().filter(l -> l.startsWith("dragon_prompt_tokens_cached_total{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    @Order(6)
    void redisStoppedAndStarted_failsNoRequest_andCachingResumes() {
        String body = completion("While the cache sleeps the model still");
        redis.stop();
        try {
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> r = post("/v1/completions", body);
                assertThat(cache(r)).isEqualTo("bypass");
                assertThat(api.json(r.body()).path("choices").get(0).path("text").asString()).isNotEmpty();
            }
            String stream = completion("While the cache sleeps the model still", "stream", true);
            HttpResponse<String> streamed = post("/v1/completions", stream);
            assertThat(cache(streamed)).isEqualTo("bypass");
            assertThat(ApiClient.sseFrames(streamed.body()).getLast()).isEqualTo("[DONE]");
        } finally {
            redis.start();
        }
        awaitHit("/v1/completions", body);
    }

    @Test
    @Order(7)
    void aRestartedRouter_hitsWhatItStoredBefore() throws Exception {
        String body = completion("Before the restart the router remembered");
        post("/v1/completions", body);
        HttpResponse<String> before = awaitHit("/v1/completions", body);
        router.close();
        router = null;

        // ONNX Runtime's environment is one per process: the restarted router is the jar in a process of its own
        try (RouterProcess restarted = RouterProcess.start("cached-answers-restarted-router",
                routerArgs().toArray(String[]::new))) {
            HttpResponse<String> after = new ApiClient(restarted.port()).post("/v1/completions", body);

            assertThat(after.statusCode()).isEqualTo(200);
            assertThat(cache(after)).isEqualTo("hit");
            assertThat(api.json(after.body()).path("choices")).isEqualTo(api.json(before.body()).path("choices"));
        }
    }
}
