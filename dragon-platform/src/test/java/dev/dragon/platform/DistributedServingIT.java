package dev.dragon.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.core.bundle.GoldenReference;
import dev.dragon.platform.chaos.Chaos;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 4 across real processes: two replicas of expert group g0 and one of g1, each its own expert-service
 * JVM, and a router-service JVM dispatching to them over gRPC. The router reproduces PyTorch's golden
 * continuations; killing one g0 replica in the middle of streams fails none of them.
 */
class DistributedServingIT {

    private static final String MODEL = "dragon-moe-mini";
    private static List<ServiceProcess> services;
    private static Map<String, ServiceProcess> byName;
    private static Api router;
    private static String routerBase;

    @BeforeAll
    static void start() {
        Ports p = Chaos.freePorts();
        Path bundle = Stacks.bundle();
        String host = PlatformPlan.LOCALHOST + ":";
        List<ServiceSpec> specs = List.of(
                PlatformPlan.expert("g0-a", "g0", p.expertHttp(0), p.expertGrpc(0), bundle),
                PlatformPlan.expert("g0-b", "g0", p.expertHttp(0) + 10, p.expertGrpc(0) + 10, bundle),
                PlatformPlan.expert("g1-a", "g1", p.expertHttp(1), p.expertGrpc(1), bundle),
                PlatformPlan.router("router", p.router(), bundle, Map.of(
                        "g0", List.of(host + p.expertGrpc(0), host + (p.expertGrpc(0) + 10)),
                        "g1", List.of(host + p.expertGrpc(1))), List.of("--dragon.router.cache.enabled=false")));
        Path logs = Stacks.root().resolve("dragon-platform/target/distributed-it-" + p.offset());
        services = Platform.startServices(Platform.Prerequisites.jars(specs, Stacks.root()), Stacks.root(),
                createDirectories(logs), List.of(), System.nanoTime() + TimeUnit.MINUTES.toNanos(6), System.out::println);
        byName = new LinkedHashMap<>();
        services.forEach(s -> byName.put(s.spec().name(), s));
        routerBase = "http://127.0.0.1:" + p.router();
        router = new Api(routerBase, null);
    }

    @AfterAll
    static void stop() {
        if (services != null) {
            services.reversed().forEach(ServiceProcess::close);
        }
    }

    @Test
    void goldenPrompts_throughTheRouterAndTwoExpertGroups_equalPyTorchsGreedyContinuations() {
        GoldenReference golden = GoldenReference.read(Stacks.bundle().resolve("golden.json"));
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (GoldenReference.Case c : golden.cases()) {
            answers.add(CompletableFuture.supplyAsync(() -> router.post(path(c), body(c))));
        }
        for (int i = 0; i < golden.cases().size(); i++) {
            GoldenReference.Case c = golden.cases().get(i);
            HttpResponse<String> r = answers.get(i).join();
            assertThat(r.statusCode()).as(c.name() + ": " + r.body()).isEqualTo(200);
            JsonNode choice = Api.json(r.body()).path("choices").get(0);
            String text = c.kind() == GoldenReference.Kind.CHAT ? choice.path("message").path("content").asString()
                    : choice.path("text").asString();
            assertThat(text).as(c.name()).isEqualTo(c.greedyText());
            if (c.kind() == GoldenReference.Kind.CHAT) {
                assertTopLogprobsMatchGoldenLogits(c, choice.path("logprobs").path("content"));
            }
        }
    }

    @Test
    void killingOneOfTwoReplicasOfAGroup_midStream_failsNoRequest() throws Exception {
        int streams = 4;
        int maxTokens = 96;
        double before = generatedTokens();
        List<CompletableFuture<List<String>>> running = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            int n = i;
            running.add(CompletableFuture.supplyAsync(() -> readStream(Map.of("model", MODEL, "stream", true,
                    "max_tokens", maxTokens, "dragon", Map.of("ignore_eos", true),
                    "stream_options", Map.of("include_usage", true),
                    "messages", List.of(Map.of("role", "user", "content", "Tell me fortune number " + n + "."))))));
        }
        awaitRouterDecoding(before + 16);
        ServiceProcess victim = byName.get("g0-b");
        String victimBase = victim.spec().readiness().resolve("/").toString().replaceAll("/$", "");
        assertThat(Prometheus.read(victimBase, "dragon_expert_rows_total", null))
                .as("rows the replica computed before it is killed").isPositive();
        ProcessHandle.of(victim.pid()).ifPresent(ProcessHandle::destroyForcibly);   // SIGKILL, no goodbye

        for (CompletableFuture<List<String>> f : running) {
            List<String> data = f.get(5, TimeUnit.MINUTES);
            assertThat(data).as("stream ends with [DONE]").last().isEqualTo("[DONE]");
            assertThat(data).noneMatch(d -> d.contains("\"error\""));
            List<JsonNode> chunks = data.stream().filter(d -> !d.equals("[DONE]")).map(Api::json).toList();
            assertThat(chunks).anySatisfy(c -> assertThat(c.path("choices").path(0).path("finish_reason").asString())
                    .isEqualTo("length"));
            assertThat(chunks.getLast().path("usage").path("completion_tokens").asInt()).as("tokens generated")
                    .isEqualTo(maxTokens);
        }
        HttpResponse<String> after = router.post("/v1/chat/completions", Map.of("model", MODEL, "max_tokens", 8,
                "messages", List.of(Map.of("role", "user", "content", "And one more?"))));
        assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
    }

    @Test
    void badRequests_getOpenAiErrors_naming_theField_acrossProcesses() {
        HttpResponse<String> r = router.post("/v1/chat/completions", Map.of("model", MODEL, "max_tokens", -1,
                "messages", List.of(Map.of("role", "user", "content", "hi"))));
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode error = Api.json(r.body()).path("error");
        assertThat(error.path("param").asString()).isEqualTo("max_tokens");
        assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
    }

    /** Waits until the router's generated-token counter reaches {@code target}: the streams are running. */
    private static void awaitRouterDecoding(double target) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            if (generatedTokens() >= target) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the router did not start generating within 2 minutes");
    }

    private static double generatedTokens() {
        return Prometheus.sum(Prometheus.scrape(routerBase), "dragon_generation_tokens_total", null).orElse(0);
    }

    private static List<String> readStream(Map<String, ?> body) {
        HttpResponse<Stream<String>> r = router.stream("/v1/chat/completions", body);
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> data = new ArrayList<>();
        Iterator<String> it = Api.dataLines(r.body());
        it.forEachRemaining(data::add);
        return data;
    }

    /** Each step's top-5 logprob gaps to the best token equal the golden logit gaps (softmax keeps gaps). */
    private static void assertTopLogprobsMatchGoldenLogits(GoldenReference.Case c, JsonNode content) {
        for (int s = 0; s < c.steps().size() && s < content.size(); s++) {
            List<GoldenReference.TopLogit> expected = c.steps().get(s).top();
            JsonNode top = content.get(s).path("top_logprobs");
            assertThat(top.size()).as(c.name() + " step " + s).isGreaterThanOrEqualTo(expected.size());
            double best = top.get(0).path("logprob").asDouble();
            for (int j = 1; j < expected.size(); j++) {
                double gap = best - top.get(j).path("logprob").asDouble();
                double goldenGap = expected.get(0).logit() - expected.get(j).logit();
                assertThat(gap).as(c.name() + " step " + s + " rank " + j).isCloseTo(goldenGap,
                        org.assertj.core.data.Offset.offset(2e-3));
            }
        }
    }

    private static String path(GoldenReference.Case c) {
        return c.kind() == GoldenReference.Kind.CHAT ? "/v1/chat/completions" : "/v1/completions";
    }

    private static Map<String, Object> body(GoldenReference.Case c) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("model", MODEL);
        b.put("temperature", 0.0);
        b.put("max_tokens", c.greedyIds().size());
        if (c.kind() == GoldenReference.Kind.CHAT) {
            b.put("messages", c.messages().stream().map(m -> Map.of("role", m.role(), "content", m.content())).toList());
            b.put("logprobs", true);
            b.put("top_logprobs", 5);
        } else {
            b.put("prompt", c.prompt());
        }
        return b;
    }

    private static Path createDirectories(Path dir) {
        try {
            return java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
