package dev.dragon.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SamplingParamsTest {

    @Test
    void builderDefaultsAreOpenAiLike() {
        SamplingParams p = SamplingParams.builder().build();
        assertThat(p.temperature()).isEqualTo(1.0);
        assertThat(p.topP()).isEqualTo(1.0);
        assertThat(p.topK()).isZero();
        assertThat(p.seed()).isNull();
        assertThat(p.maxTokens()).isEqualTo(SamplingParams.DEFAULT_MAX_TOKENS);
        assertThat(p.stop()).isEmpty();
        assertThat(p.logprobs()).isFalse();
        assertThat(p.isGreedy()).isFalse();
        assertThat(SamplingParams.greedy().isGreedy()).isTrue();
        assertThat(SamplingParams.builder().topK(1).build().isGreedy()).isTrue();
    }

    @Test
    void everyInvalidFieldIsNamed() {
        assertField(SamplingParams.builder().temperature(-0.1), "temperature");
        assertField(SamplingParams.builder().temperature(Double.NaN), "temperature");
        assertField(SamplingParams.builder().temperature(Double.POSITIVE_INFINITY), "temperature");
        assertField(SamplingParams.builder().topP(0), "top_p");
        assertField(SamplingParams.builder().topP(1.01), "top_p");
        assertField(SamplingParams.builder().topP(Double.NaN), "top_p");
        assertField(SamplingParams.builder().topK(-1), "top_k");
        assertField(SamplingParams.builder().maxTokens(0), "max_tokens");
        assertField(SamplingParams.builder().stop(List.of("ok", "")), "stop");
        assertField(SamplingParams.builder().logprobs(true).topLogprobs(21), "top_logprobs");
        assertField(SamplingParams.builder().logprobs(true).topLogprobs(-1), "top_logprobs");
        assertField(SamplingParams.builder().topLogprobs(3), "top_logprobs");
    }

    @Test
    void messagesSayWhatIsWrong() {
        assertThatThrownBy(() -> SamplingParams.builder().topP(2).build())
                .isInstanceOf(SamplingParamException.class).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("top_p: must be in (0, 1], got 2.0");
    }

    @Test
    void stopCountIsCappedAtFourByDefaultAndTheCapIsConfigurable() {
        List<String> five = List.of("a", "b", "c", "d", "e");
        assertThatThrownBy(() -> SamplingParams.builder().stop(five).build())
                .isInstanceOf(SamplingParamException.class).hasMessage("stop: at most 4 sequences, got 5");
        assertThat(SamplingParams.builder().stop(five).maxStopSequences(8).build().stop()).hasSize(5);
        assertThatThrownBy(() -> SamplingParams.builder().stop(List.of("x")).maxStopSequences(0).build())
                .hasMessageContaining("at most 0");
        SamplingParams many = SamplingParams.builder().stop(five).maxStopSequences(5).build();
        assertThat(many.toBuilder().build()).isEqualTo(many);
    }

    @Test
    void stopListIsCopiedAndNullMeansNone() {
        List<String> stops = new ArrayList<>(List.of("END"));
        SamplingParams p = SamplingParams.builder().stop(stops).build();
        stops.add("more");
        assertThat(p.stop()).containsExactly("END");
        assertThat(SamplingParams.builder().stop(null).build().stop()).isEmpty();
    }

    @Test
    void toBuilderKeepsEveryField() {
        SamplingParams p = new SamplingParams(0.7, 0.9, 40, 7L, 12, List.of("\n\n"), true, 5);
        assertThat(p.toBuilder().build()).isEqualTo(p);
        assertThat(p.toBuilder().seed(8L).build().seed()).isEqualTo(8L);
    }

    private static void assertField(SamplingParams.Builder builder, String field) {
        SamplingParamException e = catchThrowableOfType(SamplingParamException.class, builder::build);
        assertThat(e).as(field).isNotNull();
        assertThat(e.field()).isEqualTo(field);
        assertThat(e).hasMessageStartingWith(field + ": ");
    }
}
