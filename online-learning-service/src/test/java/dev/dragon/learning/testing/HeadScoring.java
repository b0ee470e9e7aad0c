package dev.dragon.learning.testing;

import dev.dragon.core.adapter.PcAdapter;
import dev.dragon.core.kv.KvArena;
import dev.dragon.core.model.ForwardPass;
import dev.dragon.core.model.StepInput;
import dev.dragon.learning.model.ModelHost;

/**
 * Scores a sequence the way a router serves it, independently of the learner's Java PC math: dragon-core's
 * forward pass, then {@code head.onnx} with the adapter's weights as inputs, then a log-softmax of its logits.
 */
public final class HeadScoring {

    private HeadScoring() {
    }

    /** Mean NLL of {@code ids[1..]} given their prefixes, under {@code adapter}. */
    public static double meanNll(ModelHost host, PcAdapter adapter, int[] ids) {
        return sumNll(host, adapter, ids, 1) / (ids.length - 1);
    }

    /** Summed NLL in nats of {@code ids[firstTarget..]} given their prefixes (sequence at most one window long). */
    public static double sumNll(ModelHost host, PcAdapter adapter, int[] ids, int firstTarget) {
        var arch = host.architecture();
        int d = arch.dModel();
        int vocab = arch.vocabSize();
        int t = ids.length;
        KvArena kv = KvArena.forModel(arch, 1);
        ForwardPass forward = new ForwardPass(host.model(), host.experts(), kv, (l, r) -> { });
        float[] hidden = forward.run(StepInput.chunk(0, ids, 0, t, 0, true)).hidden();      // [T,d]
        float[] logits = new float[t * vocab];                                                // [T,V]
        host.model().head(hidden, 0, t, adapter, logits, 0, null);
        double nll = 0;
        for (int pos = firstTarget - 1; pos < t - 1; pos++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < vocab; v++) {
                max = Math.max(max, logits[pos * vocab + v]);
            }
            double sum = 0;
            for (int v = 0; v < vocab; v++) {
                sum += Math.exp(logits[pos * vocab + v] - max);
            }
            nll -= logits[pos * vocab + ids[pos + 1]] - max - Math.log(sum);
        }
        return nll;
    }
}
