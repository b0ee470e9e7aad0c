package dev.dragon.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.dragon.core.bundle.GoldenReference;
import dev.dragon.core.kv.KvArena;
import dev.dragon.core.testing.ShippedModel;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java forward pass (ONNX graphs, KV rings, Java gating) reproduces PyTorch eager step by step:
 * every recorded top-5 logit within 1e-3, the same greedy token and the same routed experts.
 */
class ForwardPassGoldenTest {

    static Stream<GoldenReference.Case> cases() {
        return ShippedModel.cases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardPass_reproducesGoldenLogitsAndExperts(GoldenReference.Case golden) {
        DragonModel model = ShippedModel.model();
        var arch = model.architecture();
        KvArena kv = KvArena.forModel(arch, 1);
        ForwardPass pass = new ForwardPass(model, ShippedModel.experts(), kv, (l, r) -> { });
        int[] prompt = golden.promptIdArray();
        assertThat(ShippedModel.promptOf(golden)).containsExactly(prompt);

        StepOutput out = null;
        for (int from = 0; from < prompt.length; from += arch.window()) {         // chunked prefill
            int to = Math.min(prompt.length, from + arch.window());
            out = pass.run(StepInput.chunk(0, prompt, from, to, from, false));
        }
        float[] logits = new float[arch.vocabSize()];
        int[] greedy = golden.greedyIdArray();
        for (int step = 0; step < golden.steps().size(); step++) {
            model.head(out.hidden(), 0, 1, model.baseAdapter(), logits, 0, null);
            GoldenReference.Step expected = golden.steps().get(step);
            for (GoldenReference.TopLogit top : expected.top()) {
                assertThat(logits[top.id()]).as("%s step %d token %d", golden.name(), step, top.id())
                        .isCloseTo(top.logit(), within(1e-3f));
            }
            assertThat(argmax(logits)).as("%s greedy token at step %d", golden.name(), step).isEqualTo(greedy[step]);
            for (int l = 0; l < arch.nLayers(); l++) {
                assertThat(out.experts()[0][l]).as("%s step %d layer %d experts", golden.name(), step, l)
                        .containsExactly(expected.experts().get(l).stream().mapToInt(Integer::intValue).toArray());
            }
            long position = prompt.length + step;
            out = pass.run(new StepInput(0, 1, 1, new long[] {greedy[step]}, new long[] {position}, false));
        }
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
