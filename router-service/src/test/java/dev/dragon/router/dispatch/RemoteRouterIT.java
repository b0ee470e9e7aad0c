package dev.dragon.router.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dragon.core.bundle.GoldenReference;
import dev.dragon.core.bundle.ModelBundle;
import dev.dragon.core.engine.LocalEngine;
import dev.dragon.core.expert.ExpertBackend;
import dev.dragon.core.expert.ExpertRunner;
import dev.dragon.core.runtime.OrtRuntime;
import dev.dragon.router.testing.ApiClient;
import dev.dragon.router.testing.RawStream;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * router-service started with {@code dragon.router.dispatch.mode=remote} and static discovery of the bundle's
 * two expert groups, served by real Netty gRPC servers on loopback ports (two replicas of g0, one of g1),
 * each computing its group's experts with dragon-core's ExpertRunner: golden completions through the API,
 * whole and streamed; validation errors; a client leaving mid-stream; and one g0 replica killed mid-stream
 * without a failed request.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RemoteRouterIT {

    private static final Duration WAIT = Duration.ofMinutes(2);
    /** The experts the servers compute with: loaded from the context's ONNX Runtime (one per process). */
    private static final AtomicReference<ExpertRunner> RUNNER = new AtomicReference<>();
    private static ExpertGroupServer g0a;
    private static ExpertGroupServer g0b;
    private static ExpertGroupServer g1;

    @DynamicPropertySource
    static void expertGroups(DynamicPropertyRegistry registry) throws Exception {
        g0a = ExpertGroupServer.ofGroup("g0", RUNNER::get);
        g0b = ExpertGroupServer.ofGroup("g0", RUNNER::get);
        g1 = ExpertGroupServer.ofGroup("g1", RUNNER::get);
        registry.add("dragon.router.dispatch.mode", () -> "remote");
        registry.add("dragon.router.discovery.static-endpoints.g0",
                () -> g0a.endpoint().target() + "," + g0b.endpoint().target());
        registry.add("dragon.router.discovery.static-endpoints.g1", () -> g1.endpoint().target());
        registry.add("dragon.router.cache.enabled", () -> "false");
    }

    @LocalServerPort int port;
    @Autowired ModelBundle bundle;
    @Autowired OrtRuntime runtime;
    @Autowired ExpertBackend engineBackend;
    @Autowired LocalEngine engine;
    @Autowired MeterRegistry registry;

    private ApiClient api;

    @BeforeAll
    void loadExperts() {
        RUNNER.set(ExpertRunner.load(bundle, runtime, ExpertRunner.Selection.all()));
        api = new ApiClient(port);
    }

    @AfterAll
    void stopServers() throws Exception {
        for (ExpertGroupServer s : List.of(g0a, g0b, g1)) {
            s.close();
        }
        RUNNER.get().close();
    }

    private List<GoldenReference.Case> completionCases() {
        return bundle.golden().cases().stream().filter(c -> c.kind() == GoldenReference.Kind.COMPLETION).toList();
    }

    private String request(GoldenReference.Case c, boolean stream) {
        return api.write(Map.of("model", "dragon-moe-mini", "prompt", c.prompt(), "temperature", 0,
                "max_tokens", c.greedyIds().size(), "stream", stream));
    }

    @Test
    @Order(1)
    void goldenCompletions_comeBackThroughTheApi_computedByTheRemoteGroups() {
        assertThat(engineBackend).isInstanceOf(RemoteExpertBackend.class);
        List<GoldenReference.Case> cases = completionCases();
        List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
        for (GoldenReference.Case c : cases) {
            replies.add(api.postAsync("/v1/completions", request(c, false)));
        }
        for (int i = 0; i < cases.size(); i++) {
            HttpResponse<String> reply = replies.get(i).join();
            assertThat(reply.statusCode()).as(cases.get(i).name()).isEqualTo(200);
            JsonNode choice = api.json(reply.body()).path("choices").get(0);
            assertThat(choice.path("text").asString()).as(cases.get(i).name()).isEqualTo(cases.get(i).greedyText());
        }
        assertThat(g0a.calls() + g0b.calls()).isPositive();
        assertThat(g1.calls()).isPositive();

        String metrics = api.get("/actuator/prometheus").body();
        assertThat(metrics).contains("dragon_dispatch_latency_seconds_count{application=\"router-service\",group=\"g0\"}")
                .contains("dragon_expert_group_replicas{application=\"router-service\",group=\"g0\"} 2.0")
                .contains("dragon_expert_group_replicas{application=\"router-service\",group=\"g1\"} 1.0")
                .contains("dragon_dispatch_failures_total{application=\"router-service\",group=\"g0\"} 0.0")
                .contains("dragon_dispatch_wait_seconds_total{application=\"router-service\"}");
    }

    @Test
    @Order(2)
    void goldenCompletions_streamed_concatenateToTheGoldenText() {
        for (GoldenReference.Case c : completionCases()) {
            HttpResponse<String> reply = api.post("/v1/completions", request(c, true));
            assertThat(reply.statusCode()).as(c.name()).isEqualTo(200);
            assertThat(streamedText(reply.body())).as(c.name()).isEqualTo(c.greedyText());
        }
    }

    /** The text of a completions stream, checking its framing and that no error event came. */
    private String streamedText(String body) {
        List<String> frames = ApiClient.sseFrames(body);
        assertThat(frames.getLast()).isEqualTo("[DONE]");
        StringBuilder text = new StringBuilder();
        for (String f : frames.subList(0, frames.size() - 1)) {
            JsonNode chunk = api.json(f);
            assertThat(chunk.has("error")).as(f).isFalse();
            text.append(chunk.path("choices").get(0).path("text").asString());
        }
        return text.toString();
    }

    @Test
    @Order(3)
    void invalidRequests_getOpenAiErrors_namingTheField() {
        HttpResponse<String> r = api.post("/v1/completions",
                "{\"model\":\"dragon-moe-mini\",\"prompt\":\"Hi\",\"temperature\":5}");
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode error = api.json(r.body()).path("error");
        assertThat(error.path("param").asString()).isEqualTo("temperature");
        assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");

        HttpResponse<String> chat = api.post("/v1/chat/completions", "{\"model\":\"dragon-moe-mini\",\"messages\":[]}");
        assertThat(chat.statusCode()).isEqualTo(400);
        assertThat(api.json(chat.body()).path("error").path("param").asString()).isEqualTo("messages");
    }

    @Test
    @Order(4)
    void aClientLeavingMidStream_cancelsItsGeneration() {
        double cancelled = cancelledCount();
        try (RawStream stream = RawStream.post(port, "/v1/completions", endless(4000, true))) {
            assertThat(stream.awaitFrames(3)).startsWith("HTTP/1.1 200");
        }
        await().atMost(WAIT).until(() -> engine.running() == 0);
        await().atMost(WAIT).until(() -> cancelledCount() == cancelled + 1);
    }

    @Test
    @Order(5)
    void killingOneOfTwoReplicasOfAGroup_midStream_failsNoRequest() {
        String whole = api.post("/v1/completions", endless(40, false)).body();
        String expected = api.json(whole).path("choices").get(0).path("text").asString();
        double failures = registry.get("dragon.dispatch.failures").tag("group", "g0").counter().count();

        StringBuilder streamed = new StringBuilder();
        List<CompletableFuture<HttpResponse<String>>> others = new ArrayList<>();
        HttpResponse<Stream<String>> stream = api.postLines("/v1/completions", endless(40, true));
        assertThat(stream.statusCode()).isEqualTo(200);
        Iterator<String> lines = stream.body().iterator();
        int frames = 0;
        while (lines.hasNext()) {
            String line = lines.next();
            streamed.append(line).append('\n');
            if (line.startsWith("data: ") && ++frames == 5) {
                g0a.kill();                               // mid-stream: calls in flight are cut off
                for (int i = 0; i < 3; i++) {
                    others.add(api.postAsync("/v1/completions", endless(12, false)));
                }
            }
        }

        assertThat(frames).as("killed mid-stream, not after it").isGreaterThan(5);
        assertThat(streamedText(streamed.toString())).isEqualTo(expected);
        for (CompletableFuture<HttpResponse<String>> other : others) {
            HttpResponse<String> r = other.join();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(api.json(r.body()).path("choices").get(0).path("text").asString()).isEqualTo(
                    api.json(api.post("/v1/completions", endless(12, false)).body()).path("choices").get(0)
                            .path("text").asString());
        }
        assertThat(registry.get("dragon.dispatch.failures").tag("group", "g0").counter().count()).isEqualTo(failures);
        assertThat(g0b.calls()).isPositive();
    }

    /** A greedy completion of exactly {@code tokens} tokens (end-of-text ignored). */
    private String endless(int tokens, boolean stream) {
        return api.write(Map.of("model", "dragon-moe-mini", "prompt", "Once upon a time", "temperature", 0,
                "max_tokens", tokens, "stream", stream, "dragon", Map.of("ignore_eos", true)));
    }

    private double cancelledCount() {
        return registry.get("dragon.e2e.request.latency").tag("finish_reason", "cancelled").timer().count();
    }
}
