package dev.dragon.router.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.core.sampling.SamplingParams;
import dev.dragon.core.tokenizer.ChatMessage;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ResponseCacheKeyTest {

    private static final List<ChatMessage> MESSAGES = List.of(new ChatMessage("system", "Be brief."),
            new ChatMessage("user", "What is 23+45?"));
    /** Non-greedy, seeded: every sampling parameter matters. */
    private static final SamplingParams SAMPLED = SamplingParams.builder().temperature(0.7).topP(0.9).topK(40).seed(7L)
            .maxTokens(64).stop(List.of("\n\n")).logprobs(true).topLogprobs(2).build();

    private static ResponseCacheKey chat(List<ChatMessage> messages, SamplingParams params) {
        return ResponseCacheKey.chat("acme", "dragon-moe-mini@1.0.0", "3", messages).sampling(params).build();
    }

    @Test
    void sameRequest_sameKey() {
        assertThat(chat(MESSAGES, SAMPLED)).isEqualTo(chat(List.copyOf(MESSAGES), SAMPLED.toBuilder().build()));
        assertThat(chat(MESSAGES, SAMPLED).hex()).hasSize(64);
    }

    @Test
    void tenantModelAdapterKindAndPrompt_eachChangeTheKey() {
        ResponseCacheKey base = chat(MESSAGES, SAMPLED);
        List<ResponseCacheKey> variants = List.of(
                ResponseCacheKey.chat("globex", "dragon-moe-mini@1.0.0", "3", MESSAGES).sampling(SAMPLED).build(),
                ResponseCacheKey.chat("acme", "dragon-moe-mini@1.0.1", "3", MESSAGES).sampling(SAMPLED).build(),
                ResponseCacheKey.chat("acme", "dragon-moe-mini@1.0.0", "4", MESSAGES).sampling(SAMPLED).build(),
                ResponseCacheKey.completion("acme", "dragon-moe-mini@1.0.0", "3", "What is 23+45?").sampling(SAMPLED).build(),
                chat(List.of(new ChatMessage("user", "What is 23+45?")), SAMPLED),
                chat(List.of(new ChatMessage("system", "Be brief."), new ChatMessage("user", "What is 23+46?")), SAMPLED),
                chat(List.of(new ChatMessage("user", "Be brief."), new ChatMessage("user", "What is 23+45?")), SAMPLED),
                chat(List.of(new ChatMessage("system", "Be brief.What is"), new ChatMessage("user", " 23+45?")), SAMPLED),
                ResponseCacheKey.chat("acme", "dragon-moe-mini@1.0.0", "3", MESSAGES).sampling(SAMPLED)
                        .option("return_experts", true).build());
        assertThat(variants).doesNotContain(base).doesNotHaveDuplicates();
    }

    @Test
    void everySamplingParameter_changesTheKey() {
        Map<String, UnaryOperator<SamplingParams.Builder>> changes = Map.of(
                "temperature", b -> b.temperature(0.8),
                "topP", b -> b.topP(0.5),
                "topK", b -> b.topK(41),
                "seed", b -> b.seed(8L),
                "maxTokens", b -> b.maxTokens(65),
                "stop", b -> b.stop(List.of("\n")),
                "logprobs", b -> b.topLogprobs(0).logprobs(false),
                "topLogprobs", b -> b.topLogprobs(3));
        List<String> components = Arrays.stream(SamplingParams.class.getRecordComponents()).map(RecordComponent::getName).toList();
        assertThat(changes.keySet()).as("a change for every SamplingParams component").containsExactlyInAnyOrderElementsOf(components);

        ResponseCacheKey base = chat(MESSAGES, SAMPLED);
        changes.forEach((name, change) ->
                assertThat(chat(MESSAGES, change.apply(SAMPLED.toBuilder()).build())).as(name).isNotEqualTo(base));
    }

    @Test
    void greedyRequests_ignoreSeedTopPAndTopK_whichDoNotChangeTheirAnswer() {
        SamplingParams greedy = SamplingParams.builder().temperature(0).maxTokens(64).build();

        ResponseCacheKey plain = chat(MESSAGES, greedy);

        assertThat(chat(MESSAGES, greedy.toBuilder().seed(42L).topP(0.3).topK(5).build())).isEqualTo(plain);
        assertThat(chat(MESSAGES, greedy.toBuilder().temperature(1.3).topK(1).build())).as("top_k 1 is greedy").isEqualTo(plain);
        assertThat(chat(MESSAGES, greedy.toBuilder().maxTokens(65).build())).isNotEqualTo(plain);
        assertThat(chat(MESSAGES, SAMPLED.toBuilder().seed(8L).build())).as("seeded sampling keeps its seed")
                .isNotEqualTo(chat(MESSAGES, SAMPLED));
    }

    @Test
    void optionsAreOrderedByName() {
        ResponseCacheKey ab = ResponseCacheKey.chat("acme", "m@1", "0", MESSAGES).sampling(SAMPLED)
                .option("a", 1).option("b", "x").build();
        ResponseCacheKey ba = ResponseCacheKey.chat("acme", "m@1", "0", MESSAGES).sampling(SAMPLED)
                .option("b", "x").option("a", 1).build();

        assertThat(ab).isEqualTo(ba);
    }

    @Test
    void theHash_isNotExposedForMutation() {
        ResponseCacheKey key = chat(MESSAGES, SAMPLED);
        key.hash()[0] ^= 1;

        assertThat(key).isEqualTo(chat(MESSAGES, SAMPLED));
    }
}
