package dev.dragon.router.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.contracts.openai.ChatCompletionRequest;
import dev.dragon.contracts.openai.ChatMessage;
import dev.dragon.contracts.openai.CompletionRequest;
import dev.dragon.contracts.openai.DragonOptions;
import dev.dragon.contracts.openai.StreamOptions;
import dev.dragon.core.bundle.GoldenReference;
import dev.dragon.core.bundle.ModelBundle;
import dev.dragon.core.engine.LocalEngine;
import dev.dragon.router.testing.ApiClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAI-compatible API over real HTTP, with the shipped bundle and in-process experts: golden greedy
 * continuations through both endpoints, whole and streamed (all in flight together, so they share batches),
 * SSE framing frame by frame, headers, the experts extension, logprobs, stop strings and the model list.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenAiApiIT {

    private static final String MODEL = "dragon-moe-mini";

    @LocalServerPort
    int port;
    @Autowired
    ModelBundle bundle;
    @Autowired
    LocalEngine engine;

    private ApiClient api;

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    @Test
    void everyGoldenCase_yieldsTheGoldenGreedyContinuation_wholeAndStreamed_withItsRoutedExperts() {
        List<GoldenReference.Case> cases = bundle.golden().cases();
        List<CompletableFuture<HttpResponse<String>>> whole = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> streamed = new ArrayList<>();
        for (GoldenReference.Case c : cases) {
            whole.add(api.postAsync(path(c), body(c, false)));
            streamed.add(api.postAsync(path(c), body(c, true)));
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < cases.size(); i++) {
            GoldenReference.Case c = cases.get(i);
            Expected expected = expected(c);

            HttpResponse<String> w = whole.get(i).join();
            assertThat(w.statusCode()).as(c.name()).isEqualTo(200);
            JsonNode json = api.json(w.body());
            JsonNode choice = json.path("choices").get(0);
            String text = c.kind() == GoldenReference.Kind.CHAT ? choice.path("message").path("content").asString()
                    : choice.path("text").asString();
            assertThat(text).as(c.name()).isEqualTo(c.greedyText());
            assertThat(choice.path("finish_reason").asString()).as(c.name()).isEqualTo(expected.finishReason());
            assertThat(ints(json.path("dragon").path("tokens"))).as(c.name()).containsExactly(expected.visible());
            assertUsage(c, json.path("usage"));
            assertExperts(c, json.path("dragon").path("experts"));
            ids.add(json.path("id").asString());

            HttpResponse<String> s = streamed.get(i).join();
            assertThat(s.statusCode()).as(c.name()).isEqualTo(200);
            assertThat(s.headers().firstValue("content-type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("text/event-stream"));
            Stream stream = parse(c, s.body());
            assertThat(stream.text()).as(c.name()).isEqualTo(c.greedyText());
            assertThat(stream.finishReason()).as(c.name()).isEqualTo(expected.finishReason());
            assertThat(stream.tokens()).as(c.name()).containsExactly(expected.visible());
            assertUsage(c, stream.usage());
            assertExperts(c, api.json(api.write(stream.experts())));
            ids.add(stream.id());
        }
        assertThat(ids).as("response ids").hasSize(2 * cases.size())
                .allMatch(id -> id.matches("(chatcmpl|cmpl)-[0-9a-f]{32}"));
    }

    @Test
    void responses_carryRequestIdModelVersionAndAdapterVersionHeaders() {
        String body = api.write(new CompletionRequest(MODEL, "Once", 0.0, null, 3, null, null, null, null, null, null,
                null, null));
        String streamBody = body.replace("{", "{\"stream\":true,");

        for (String b : List.of(body, streamBody)) {
            HttpResponse<String> r = api.post("/v1/completions", b, "x-dragon-request-id", "it-headers-1");

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("x-dragon-request-id")).hasValue("it-headers-1");
            assertThat(r.headers().firstValue("x-dragon-model-version")).hasValue(bundle.manifest().version());
            assertThat(r.headers().firstValue("x-dragon-adapter-version")).hasValue(engine.adapter().version());
        }
        HttpResponse<String> generated = api.post("/v1/completions", body);
        assertThat(generated.headers().firstValue("x-dragon-request-id")).hasValueSatisfying(
                id -> assertThat(id).isNotBlank().isNotEqualTo("it-headers-1"));
        assertThat(api.json(generated.body()).path("system_fingerprint").asString())
                .isEqualTo(bundle.manifest().name() + "@" + bundle.manifest().version() + "+pc" + engine.adapter().version());
    }

    @Test
    void greedyLogprobs_reportTheChosenTokenAsTheMostLikelyOfItsAlternatives() {
        String body = """
                {"model":"dragon-moe-mini","messages":[{"role":"user","content":"Tell me a fortune."}],
                 "temperature":0,"max_tokens":6,"logprobs":true,"top_logprobs":3,"dragon":{"ignore_eos":true}}""";

        JsonNode json = api.json(api.post("/v1/chat/completions", body).body());

        JsonNode content = json.path("choices").get(0).path("logprobs").path("content");
        assertThat(content.size()).isEqualTo(6);
        for (JsonNode entry : content) {
            JsonNode top = entry.path("top_logprobs");
            assertThat(top.size()).isEqualTo(3);
            assertThat(top.get(0).path("token").asString()).isEqualTo(entry.path("token").asString());
            assertThat(top.get(0).path("logprob").asDouble()).isEqualTo(entry.path("logprob").asDouble());
            assertThat(entry.path("logprob").asDouble()).isLessThanOrEqualTo(0.0)
                    .isGreaterThanOrEqualTo(top.get(1).path("logprob").asDouble());
        }
    }

    @Test
    void aStopString_endsTheTextJustBeforeIt_withFinishReasonStop() {
        GoldenReference.Case c = bundle.golden().cases().stream()
                .filter(g -> g.kind() == GoldenReference.Kind.COMPLETION && g.greedyText().length() >= 12
                        && !g.greedyText().contains("\uFFFD"))
                .findFirst().orElseThrow(() -> new AssertionError("no golden completion with 12+ characters of text"));
        String stop = c.greedyText().substring(8, 11);
        String body = api.write(new CompletionRequest(MODEL, c.prompt(), 0.0, null, c.greedyIds().size(), null, null,
                null, List.of(stop), null, null, null, null));

        JsonNode choice = api.json(api.post("/v1/completions", body).body()).path("choices").get(0);

        assertThat(choice.path("text").asString()).isEqualTo(c.greedyText().substring(0, c.greedyText().indexOf(stop)));
        assertThat(choice.path("finish_reason").asString()).isEqualTo("stop");
    }

    @Test
    void ignoreEos_generatesExactlyMaxTokens_evenPastTheModelsStopToken() {
        GoldenReference.Case c = bundle.golden().cases().stream()
                .filter(g -> g.kind() == GoldenReference.Kind.CHAT)
                .min((a, b) -> Integer.compare(a.greedyIds().size(), b.greedyIds().size())).orElseThrow();
        int maxTokens = c.greedyIds().size() + 5;
        String body = api.write(new ChatCompletionRequest(MODEL, messages(c), 0.0, null, maxTokens, null, null, null,
                null, null, null, null, null, null, new DragonOptions(null, true, null)));

        JsonNode json = api.json(api.post("/v1/chat/completions", body).body());

        assertThat(json.path("usage").path("completion_tokens").asInt()).isEqualTo(maxTokens);
        assertThat(json.path("choices").get(0).path("finish_reason").asString()).isEqualTo("length");
    }

    @Test
    void models_listsTheServedModel_andLooksItUpById() {
        HttpResponse<String> list = api.get("/v1/models");

        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.headers().firstValue("x-dragon-model-version")).hasValue(bundle.manifest().version());
        JsonNode json = api.json(list.body());
        assertThat(json.path("object").asString()).isEqualTo("list");
        assertThat(json.path("data").size()).isEqualTo(1);
        JsonNode model = json.path("data").get(0);
        assertThat(model.path("id").asString()).isEqualTo(MODEL);
        assertThat(model.path("object").asString()).isEqualTo("model");
        assertThat(model.path("owned_by").asString()).isEqualTo("dragon");
        assertThat(model.path("created").asLong()).isPositive();

        assertThat(api.json(api.get("/v1/models/" + MODEL).body())).isEqualTo(model);
        HttpResponse<String> unknown = api.get("/v1/models/gpt-4o");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(api.json(unknown.body()).path("error").path("code").asString()).isEqualTo("model_not_found");
    }

    // --- expectations and parsing ---

    private record Expected(int[] visible, String finishReason) {
    }

    /** The golden greedy ids minus a final stop token (never emitted), and the finish reason that implies. */
    private Expected expected(GoldenReference.Case c) {
        var template = engine.model().tokenizer().chatTemplate();
        int[] stops = c.kind() == GoldenReference.Kind.CHAT ? template.chatStopIds() : template.completionStopIds();
        int[] greedy = c.greedyIdArray();
        int last = greedy[greedy.length - 1];
        boolean endsWithStop = Arrays.stream(stops).anyMatch(s -> s == last);
        return new Expected(endsWithStop ? Arrays.copyOf(greedy, greedy.length - 1) : greedy,
                endsWithStop ? "stop" : "length");
    }

    private void assertUsage(GoldenReference.Case c, JsonNode usage) {
        assertThat(usage.path("prompt_tokens").asInt()).as(c.name()).isEqualTo(c.promptIds().size());
        assertThat(usage.path("completion_tokens").asInt()).as(c.name()).isEqualTo(c.greedyIds().size());
        assertThat(usage.path("total_tokens").asInt()).as(c.name())
                .isEqualTo(c.promptIds().size() + c.greedyIds().size());
    }

    /** Token t's routed experts per layer are the golden step t's (as far as steps were recorded). */
    private static void assertExperts(GoldenReference.Case c, JsonNode experts) {
        int n = Math.min(c.steps().size(), experts.size());
        assertThat(n).as(c.name() + ": tokens with recorded experts").isPositive();
        for (int t = 0; t < n; t++) {
            List<List<Integer>> golden = c.steps().get(t).experts();
            JsonNode perLayer = experts.get(t);
            assertThat(perLayer.size()).as("%s token %d layers", c.name(), t).isEqualTo(golden.size());
            for (int l = 0; l < golden.size(); l++) {
                assertThat(ints(perLayer.get(l))).as("%s token %d layer %d", c.name(), t, l)
                        .containsExactly(golden.get(l).stream().mapToInt(Integer::intValue).toArray());
            }
        }
    }

    private record Stream(String id, String text, String finishReason, int[] tokens, List<JsonNode> experts,
                          JsonNode usage) {
    }

    /**
     * Reads a streamed response frame by frame: (chat) the role chunk, content chunks (each token's with its
     * dragon trace), one finish chunk with an empty delta, the usage chunk with no choices, then [DONE].
     */
    private Stream parse(GoldenReference.Case c, String body) {
        boolean chat = c.kind() == GoldenReference.Kind.CHAT;
        List<String> frames = ApiClient.sseFrames(body);
        assertThat(frames.getLast()).as(c.name()).isEqualTo("[DONE]");
        List<JsonNode> chunks = frames.subList(0, frames.size() - 1).stream().map(api::json).toList();
        String id = chunks.getFirst().path("id").asString();
        String object = chat ? "chat.completion.chunk" : "text_completion";
        assertThat(chunks).as(c.name()).allSatisfy(ch -> {
            assertThat(ch.path("id").asString()).isEqualTo(id);
            assertThat(ch.path("object").asString()).isEqualTo(object);
            assertThat(ch.path("model").asString()).isEqualTo(MODEL);
        });
        int first = 0;
        if (chat) {
            JsonNode delta = chunks.getFirst().path("choices").get(0).path("delta");
            assertThat(delta.path("role").asString()).as(c.name()).isEqualTo("assistant");
            assertThat(delta.path("content").asString()).as(c.name()).isEmpty();
            first = 1;
        }
        JsonNode usageChunk = chunks.getLast();
        assertThat(usageChunk.path("choices").size()).as(c.name()).isZero();
        JsonNode finish = chunks.get(chunks.size() - 2).path("choices").get(0);
        assertThat(finish.path("finish_reason").isString()).as(c.name()).isTrue();
        if (chat) {
            assertThat(finish.path("delta").size()).as(c.name() + ": finish delta").isZero();
        }
        StringBuilder text = new StringBuilder();
        List<Integer> tokens = new ArrayList<>();
        List<JsonNode> experts = new ArrayList<>();
        for (JsonNode ch : chunks.subList(first, chunks.size() - 2)) {
            JsonNode choice = ch.path("choices").get(0);
            assertThat(choice.path("finish_reason").isNull()).as(c.name()).isTrue();
            text.append(chat ? choice.path("delta").path("content").asString() : choice.path("text").asString());
            if (ch.has("dragon")) {
                tokens.add(ch.path("dragon").path("token").asInt());
                experts.add(ch.path("dragon").path("experts"));
            }
        }
        return new Stream(id, text.toString(), finish.path("finish_reason").asString(),
                tokens.stream().mapToInt(Integer::intValue).toArray(), experts, usageChunk.path("usage"));
    }

    private String path(GoldenReference.Case c) {
        return c.kind() == GoldenReference.Kind.CHAT ? "/v1/chat/completions" : "/v1/completions";
    }

    private String body(GoldenReference.Case c, boolean stream) {
        StreamOptions usage = stream ? new StreamOptions(true) : null;
        DragonOptions experts = new DragonOptions(true, null, null);
        int max = c.greedyIds().size();
        return c.kind() == GoldenReference.Kind.CHAT
                ? api.write(new ChatCompletionRequest(MODEL, messages(c), 0.0, null, max, null, null, stream, usage,
                        null, null, null, null, null, experts))
                : api.write(new CompletionRequest(MODEL, c.prompt(), 0.0, null, max, null, stream, usage, null, null,
                        null, null, experts));
    }

    private static List<ChatMessage> messages(GoldenReference.Case c) {
        return c.messages().stream().map(m -> ChatMessage.of(m.role(), m.content())).toList();
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
