package dev.dragon.router.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dragon.contracts.openai.ChatCompletionRequest;
import dev.dragon.contracts.openai.ChatMessage;
import dev.dragon.contracts.openai.CompletionRequest;
import dev.dragon.contracts.openai.DragonOptions;
import dev.dragon.contracts.openai.OpenAiJson;
import dev.dragon.contracts.openai.RequestLimits;
import dev.dragon.core.bundle.GoldenReference;
import dev.dragon.core.sampling.SamplingParams;
import dev.dragon.core.tokenizer.ChatTemplate;
import dev.dragon.router.error.InvalidRequestException;
import dev.dragon.router.error.ModelNotFoundException;
import dev.dragon.router.testing.ShippedBundle;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** API requests become the prompt ids, stop tokens and sampling parameters the engine was trained and tested with. */
class RequestMapperTest {

    private static final String MODEL = "dragon-moe-mini";

    private final ChatTemplate template = ShippedBundle.tokenizer().chatTemplate();
    private final RequestMapper mapper = new RequestMapper(template, MODEL, new RequestLimits(100, 4), 300, 16);
    private final OpenAiJson json = new OpenAiJson();

    @Test
    void everyGoldenCase_mapsToItsRecordedPromptIds() {
        for (GoldenReference.Case c : ShippedBundle.bundle().golden().cases()) {
            PreparedGeneration g = switch (c.kind()) {
                case CHAT -> mapper.chat(ChatCompletionRequest.of(MODEL,
                        c.messages().stream().map(m -> ChatMessage.of(m.role(), m.content())).toList()));
                case COMPLETION -> mapper.completion(CompletionRequest.of(MODEL, c.prompt()));
            };
            assertThat(g.promptIds()).as(c.name()).containsExactly(c.promptIdArray());
        }
    }

    @Test
    void chat_stopsAtTheTemplateStops_andCompletion_atEndOfText() {
        PreparedGeneration chat = mapper.chat(chat("{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        PreparedGeneration completion = mapper.completion(CompletionRequest.of(MODEL, "hi"));

        assertThat(chat.stopTokenIds()).containsExactly(template.chatStopIds());
        assertThat(completion.stopTokenIds()).containsExactly(template.completionStopIds());
    }

    @Test
    void developerRole_isTheSystemRoleOfTheTemplate() {
        PreparedGeneration developer = mapper.chat(ChatCompletionRequest.of(MODEL,
                List.of(ChatMessage.of("developer", "be brief"), ChatMessage.of("user", "hi"))));

        assertThat(developer.promptIds()).containsExactly(template.chatPrompt(List.of(
                new dev.dragon.core.tokenizer.ChatMessage("system", "be brief"),
                new dev.dragon.core.tokenizer.ChatMessage("user", "hi"))));
    }

    @Test
    void absentParameters_takeOpenAiDefaultsAndTheServerDefaultLength() {
        SamplingParams s = mapper.completion(CompletionRequest.of(MODEL, "hi")).sampling();

        assertThat(s.temperature()).isEqualTo(1.0);
        assertThat(s.topP()).isEqualTo(1.0);
        assertThat(s.maxTokens()).isEqualTo(16);
        assertThat(s.seed()).isNull();
        assertThat(s.stop()).isEmpty();
        assertThat(s.logprobs()).isFalse();
    }

    @Test
    void givenParameters_reachTheSampler_andMaxCompletionTokensWinsOverMaxTokens() {
        SamplingParams s = mapper.chat(chat("""
                {"model":"dragon-moe-mini","messages":[{"role":"user","content":"hi"}],"temperature":0.3,"top_p":0.8,
                 "seed":7,"max_tokens":5,"max_completion_tokens":9,"stop":["x","y"],"logprobs":true,"top_logprobs":3}""")).sampling();

        assertThat(s.temperature()).isEqualTo(0.3);
        assertThat(s.topP()).isEqualTo(0.8);
        assertThat(s.seed()).isEqualTo(7L);
        assertThat(s.maxTokens()).isEqualTo(9);
        assertThat(s.stop()).containsExactly("x", "y");
        assertThat(s.logprobs()).isTrue();
        assertThat(s.topLogprobs()).isEqualTo(3);
    }

    @Test
    void completionLogprobs_isTheNumberOfAlternatives() {
        SamplingParams s = mapper.completion(json.read(
                "{\"model\":\"dragon-moe-mini\",\"prompt\":\"p\",\"logprobs\":2}".getBytes(StandardCharsets.UTF_8),
                CompletionRequest.class)).sampling();

        assertThat(s.logprobs()).isTrue();
        assertThat(s.topLogprobs()).isEqualTo(2);
    }

    @Test
    void ignoreEos_dropsTheStopTokens_andReturnExperts_asksForThem() {
        var request = new CompletionRequest(MODEL, "hi", null, null, null, null, null, null, null, null, null, null,
                new DragonOptions(true, true, null));

        PreparedGeneration g = mapper.completion(request);

        assertThat(g.stopTokenIds()).isEmpty();
        assertThat(g.includeExperts()).isTrue();
    }

    @Test
    void anotherModel_isNotFound() {
        assertThatThrownBy(() -> mapper.completion(CompletionRequest.of("gpt-4o", "hi")))
                .isInstanceOfSatisfying(ModelNotFoundException.class, e -> assertThat(e.model()).isEqualTo("gpt-4o"));
    }

    @Test
    void aPromptOverTheLimit_isRefusedNamingTheField() {
        String longText = "word ".repeat(400);

        assertThatThrownBy(() -> mapper.completion(CompletionRequest.of(MODEL, longText)))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.violation().param()).isEqualTo("prompt");
                    assertThat(e.violation().code()).isEqualTo("context_length_exceeded");
                    assertThat(e.violation().message()).contains("300 tokens");
                });
        assertThatThrownBy(() -> mapper.chat(ChatCompletionRequest.of(MODEL, List.of(ChatMessage.of("user", longText)))))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.violation().param()).isEqualTo("messages"));
    }

    @Test
    void aRuleBreak_isRefusedWithTheValidatorsViolation() {
        assertThatThrownBy(() -> mapper.chat(chat(
                "{\"model\":\"dragon-moe-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":101}")))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.violation().param()).isEqualTo("max_tokens");
                    assertThat(e.violation().code()).isEqualTo("integer_above_max_value");
                });
    }

    private ChatCompletionRequest chat(String body) {
        return json.read(body.getBytes(StandardCharsets.UTF_8), ChatCompletionRequest.class);
    }
}
