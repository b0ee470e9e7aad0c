package dev.dragon.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.core.bundle.GoldenReference;
import dev.dragon.core.sampling.SamplingParams;
import dev.dragon.core.testing.CollectingSink;
import dev.dragon.core.testing.LaterExperts;
import dev.dragon.core.testing.ShippedModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine's continuous batching reproduces the golden greedy continuations and is batch-invariant. */
class LocalEngineGoldenTest {

    @Test
    void engine_reproducesEveryGoldenContinuation_whenAllRunInOneBatch() throws Exception {
        try (LocalEngine engine = new LocalEngine(ShippedModel.model(), ShippedModel.experts(),
                new EngineOptions(16, 64, 256), EngineObserver.NONE)) {
            assertGoldenContinuations(engine);
        }
    }

    @Test
    void engine_reproducesEveryGoldenContinuation_withMicroBatchOverlap() throws Exception {
        try (LaterExperts later = new LaterExperts(ShippedModel.experts());
             LocalEngine engine = new LocalEngine(ShippedModel.model(), later,
                     new EngineOptions(16, 64, 256, 2, 1), EngineObserver.NONE)) {
            assertGoldenContinuations(engine);
            assertThat(later.maxInFlight()).as("two micro-batches' experts in flight at once").isEqualTo(2);
        }
    }

    private static void assertGoldenContinuations(LocalEngine engine) throws Exception {
        List<GoldenReference.Case> cases = ShippedModel.cases();
        List<CollectingSink> sinks = new ArrayList<>();
        for (GoldenReference.Case c : cases) {
            int[] greedy = c.greedyIdArray();
            CollectingSink sink = new CollectingSink();
            sinks.add(sink);
            engine.submit(new GenerationRequest(c.name(), c.promptIdArray(), ShippedModel.stopIdsOf(c),
                    SamplingParams.builder().temperature(0).maxTokens(greedy.length).build(), false, sink));
        }
        for (int i = 0; i < cases.size(); i++) {
            GoldenReference.Case c = cases.get(i);
            CollectingSink sink = sinks.get(i).await();
            assertThat(sink.error).as(c.name()).isNull();
            int[] greedy = c.greedyIdArray();
            int last = greedy[greedy.length - 1];
            boolean endsWithStop = Arrays.stream(ShippedModel.stopIdsOf(c)).anyMatch(s -> s == last);
            int[] visible = endsWithStop ? Arrays.copyOf(greedy, greedy.length - 1) : greedy;
            assertThat(sink.ids()).as(c.name()).containsExactly(visible);
            assertThat(sink.completion.reason()).as(c.name())
                    .isEqualTo(endsWithStop ? FinishReason.STOP : FinishReason.LENGTH);
            assertThat(sink.completion.completionTokens()).isEqualTo(greedy.length);
            assertThat(sink.text()).as(c.name()).isEqualTo(c.greedyText());
        }
    }

    @Test
    void batchedDecoding_of32Sequences_equalsDecodingEachAlone() throws Exception {
        List<int[]> prompts = new ArrayList<>();
        var template = ShippedModel.model().tokenizer().chatTemplate();
        List<GoldenReference.Case> cases = ShippedModel.cases();
        for (int i = 0; i < 32; i++) {
            int[] base = cases.get(i % cases.size()).promptIdArray();
            int[] extra = template.completionPrompt(" variant " + i);
            int[] p = Arrays.copyOf(base, base.length + (i < cases.size() ? 0 : extra.length - 1));
            if (i >= cases.size()) {
                System.arraycopy(extra, 1, p, base.length, extra.length - 1);
            }
            prompts.add(p);
        }
        SamplingParams greedy = SamplingParams.builder().temperature(0).maxTokens(20).build();
        List<int[]> alone = new ArrayList<>();
        try (LocalEngine engine = new LocalEngine(ShippedModel.model(), ShippedModel.experts(),
                new EngineOptions(1, 64, 256), EngineObserver.NONE)) {
            for (int i = 0; i < prompts.size(); i++) {
                CollectingSink sink = new CollectingSink();
                engine.submit(new GenerationRequest("alone-" + i, prompts.get(i), new int[0], greedy, false, sink));
                alone.add(sink.await().ids());
            }
        }
        try (LocalEngine engine = new LocalEngine(ShippedModel.model(), ShippedModel.experts(),
                new EngineOptions(32, 64, 4096), EngineObserver.NONE)) {
            List<CollectingSink> sinks = new ArrayList<>();
            for (int i = 0; i < prompts.size(); i++) {
                CollectingSink sink = new CollectingSink();
                sinks.add(sink);
                engine.submit(new GenerationRequest("batch-" + i, prompts.get(i), new int[0], greedy, false, sink));
            }
            for (int i = 0; i < prompts.size(); i++) {
                assertThat(sinks.get(i).await().ids()).as("sequence %d", i).containsExactly(alone.get(i));
            }
        }
    }
}
