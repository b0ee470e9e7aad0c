package dev.dragon.router.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.contracts.openai.OpenAiJson;
import dev.dragon.core.engine.Completion;
import dev.dragon.core.engine.FinishReason;
import dev.dragon.core.engine.GeneratedToken;
import dev.dragon.core.sampling.TokenLogprob;
import dev.dragon.router.error.ErrorMapping;
import dev.dragon.router.error.ExpertsUnavailableException;
import dev.dragon.router.error.OverloadedException;
import dev.dragon.router.scheduling.TokenEvent;
import dev.dragon.router.testing.ShippedBundle;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** Engine events become OpenAI's exact SSE frames and whole response objects. */
class EventStreamsTest {

    private static final ResponseMeta META = new ResponseMeta("chatcmpl-abc", 1700000000L, "m", "fp");
    private static final String HEAD = "{\"id\":\"chatcmpl-abc\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
            + "\"model\":\"m\",\"system_fingerprint\":\"fp\",";
    private static final String CHEAD = "{\"id\":\"chatcmpl-abc\",\"object\":\"text_completion\",\"created\":1700000000,"
            + "\"model\":\"m\",\"system_fingerprint\":\"fp\",";

    private final OpenAiJson json = new OpenAiJson();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final EventStreams streams = new EventStreams(json, new ErrorMapping(registry, 3));
    private final TokenText text = new TokenText(ShippedBundle.tokenizer());

    @Test
    void chatStream_isRoleChunk_contentDeltas_finishChunk_usageChunk_thenDone() {
        Flux<TokenEvent> events = Flux.just(token(0, 10, "Hel"), token(1, 11, ""), token(2, 12, "lo"),
                finished(FinishReason.STOP, "!", 3));

        List<String> frames = streams.sse(events, () -> chat(false, false), true).collectList().block();

        assertThat(frames).containsExactly(
                "data: " + HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                        + "\"logprobs\":null,\"finish_reason\":null}]}\n\n",
                "data: " + HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"logprobs\":null,"
                        + "\"finish_reason\":null}]}\n\n",
                "data: " + HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"logprobs\":null,"
                        + "\"finish_reason\":null}]}\n\n",
                "data: " + HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"!\"},\"logprobs\":null,"
                        + "\"finish_reason\":null}]}\n\n",
                "data: " + HEAD + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}\n\n",
                "data: " + HEAD + "\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3,"
                        + "\"total_tokens\":8,\"prompt_tokens_details\":{\"cached_tokens\":0}}}\n\n",
                "data: [DONE]\n\n");
    }

    @Test
    void completionStream_hasNoRoleChunk_andNoUsageUnlessAsked() {
        Flux<TokenEvent> events = Flux.just(token(0, 10, "a"), finished(FinishReason.LENGTH, "", 1));

        List<String> frames = streams.sse(events, () -> completion(false, false), false).collectList().block();

        assertThat(frames).containsExactly(
                "data: " + CHEAD + "\"choices\":[{\"text\":\"a\",\"index\":0,\"logprobs\":null,\"finish_reason\":null}]}\n\n",
                "data: " + CHEAD + "\"choices\":[{\"text\":\"\",\"index\":0,\"logprobs\":null,\"finish_reason\":\"length\"}]}\n\n",
                "data: [DONE]\n\n");
    }

    @Test
    void withExperts_everyTokenGetsAChunk_evenWithoutText_carryingItsTokenAndExperts() {
        Flux<TokenEvent> events = Flux.just(token(0, 10, ""), finished(FinishReason.STOP, "", 2));

        List<String> frames = streams.sse(events, () -> chat(false, true), false).collectList().block();

        assertThat(frames).hasSize(4);
        assertThat(frames.get(1)).endsWith("\"delta\":{\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}],"
                + "\"dragon\":{\"token\":10,\"experts\":[[1,2],[3,0]]}}\n\n");
    }

    @Test
    void withLogprobs_eachChunkCarriesItsTokensEntry() {
        Flux<TokenEvent> events = Flux.just(token(0, 104, "h"), finished(FinishReason.STOP, "", 1));

        List<String> frames = streams.sse(events, () -> chat(true, false), false).collectList().block();

        var entry = json.mapper().readTree(frames.get(1).substring(6)).path("choices").get(0).path("logprobs")
                .path("content").get(0);
        assertThat(entry.path("token").asString()).isEqualTo(text.text(104));
        assertThat(entry.path("logprob").asDouble()).isEqualTo(-0.5);
        assertThat(entry.path("bytes").get(0).asInt()).isEqualTo(text.bytes(104).getFirst());
        assertThat(entry.path("top_logprobs").get(0).path("logprob").asDouble()).isEqualTo(-0.5);
        assertThat(entry.path("top_logprobs").get(1).path("token").asString()).isEqualTo(text.text(105));
    }

    @Test
    void anErrorBeforeTheFirstEvent_failsTheStreamBeforeAnyFrame_soAPlainStatusCanBeSent() {
        AtomicInteger headersSet = new AtomicInteger();
        Flux<TokenEvent> events = Flux.error(new OverloadedException(null));

        StepVerifier.create(streams.sse(events, () -> {
            headersSet.incrementAndGet();
            return chat(false, false);
        }, false)).expectError(OverloadedException.class).verify();
        assertThat(headersSet).hasValue(0);
    }

    @Test
    void anErrorAfterStreamingStarted_isAnErrorEventThenDone() {
        Flux<TokenEvent> events = Flux.concat(Flux.just(token(0, 10, "a")),
                Flux.error(new ExpertsUnavailableException(Map.of("layer 1 expert 5", "no live replica"), null)));

        List<String> frames = streams.sse(events, () -> chat(false, false), true).collectList().block();

        assertThat(frames).hasSize(4);
        assertThat(frames.get(2)).startsWith("data: {\"error\":{\"message\":\"Experts needed by this request are "
                + "unavailable (layer 1 expert 5); retry later.\",\"type\":\"server_error\",\"param\":null,"
                + "\"code\":\"experts_unavailable\"}}");
        assertThat(frames.get(3)).isEqualTo("data: [DONE]\n\n");
        assertThat(registry.counter("dragon.requests.rejected", "reason", "unavailable").count()).isEqualTo(1);
    }

    @Test
    void wholeChat_joinsTextAndTail_andReportsTokensExpertsAndUsage() {
        Flux<TokenEvent> events = Flux.just(token(0, 10, "Hel"), token(1, 11, "lo"),
                new TokenEvent.Finished(new Completion("req-1", FinishReason.LENGTH, 5, 4, 2, " w", "0", 0, 0, 0)));

        Object whole = streams.whole(events, c -> chat(false, true)).block();

        assertThat(json.writeString(whole)).isEqualTo("{\"id\":\"chatcmpl-abc\",\"object\":\"chat.completion\","
                + "\"created\":1700000000,\"model\":\"m\",\"system_fingerprint\":\"fp\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"Hello w\"},\"logprobs\":null,"
                + "\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":4}},"
                + "\"dragon\":{\"tokens\":[10,11],\"experts\":[[[1,2],[3,0]],[[1,2],[3,0]]]}}");
    }

    @Test
    void wholeCompletion_reportsLegacyLogprobsWithTextOffsets() {
        Flux<TokenEvent> events = Flux.just(token(0, 104, "ab"), token(1, 105, "c"), finished(FinishReason.STOP, "", 3));

        Object whole = streams.whole(events, c -> completion(true, false)).block();

        var choice = json.mapper().readTree(json.writeString(whole)).path("choices").get(0);
        assertThat(choice.path("text").asString()).isEqualTo("abc");
        assertThat(choice.path("logprobs").path("text_offset").toString()).isEqualTo("[0,2]");
        assertThat(choice.path("logprobs").path("token_logprobs").toString()).isEqualTo("[-0.5,-0.5]");
        assertThat(choice.path("logprobs").path("tokens").get(1).asString()).isEqualTo(text.text(105));
        assertThat(choice.path("logprobs").path("top_logprobs").get(0).size()).isEqualTo(2);
    }

    @Test
    void specialTokens_areShownByName() {
        int eos = ShippedBundle.tokenizer().specialTokenId("<|eos|>");

        assertThat(text.text(eos)).isEqualTo("<|eos|>");
    }

    @Test
    void responseIds_areUniqueHex() {
        String a = ResponseMeta.newId("chatcmpl-");
        String b = ResponseMeta.newId("chatcmpl-");

        assertThat(a).matches("chatcmpl-[0-9a-f]{32}").isNotEqualTo(b);
    }

    private ChatAssembly chat(boolean logprobs, boolean experts) {
        return new ChatAssembly(META, text, logprobs, experts);
    }

    private CompletionAssembly completion(boolean logprobs, boolean experts) {
        return new CompletionAssembly(META, text, logprobs, experts);
    }

    private static TokenEvent token(int index, int id, String text) {
        return new TokenEvent.Token(new GeneratedToken(index, id, text, -0.5f,
                List.of(new TokenLogprob(id, -0.5f), new TokenLogprob(id + 1, -1.5f)), new int[][] {{1, 2}, {3, 0}}));
    }

    private static TokenEvent finished(FinishReason reason, String tail, int completionTokens) {
        return new TokenEvent.Finished(new Completion("req-1", reason, 5, 0, completionTokens, tail, "0", 0, 0, 0));
    }
}
