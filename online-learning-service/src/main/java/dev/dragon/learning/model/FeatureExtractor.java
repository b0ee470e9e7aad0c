package dev.dragon.learning.model;

import dev.dragon.core.bundle.Architecture;
import dev.dragon.core.kv.KvArena;
import dev.dragon.core.model.ForwardPass;
import dev.dragon.core.model.StepInput;
import dev.dragon.core.model.StepOutput;
import dev.dragon.learning.pc.Rows;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Recomputes what the PC layer sees for a token sequence: the model's final hidden states at every position
 * ({@link ForwardPass} with {@code allPositions}, prefilled in window-sized chunks through one KV ring), then the
 * final norm from {@code head.onnx} ({@code normed}, the PC layer's input x). The adapter does not change x, so
 * a sequence is run through the model once and then trained on as often as needed. Not thread-safe.
 */
public final class FeatureExtractor {

    /** Rows per head call (bounds the {@code [rows, V]} logits the head materialises alongside). */
    private static final int HEAD_CHUNK = 256;
    /** Sequences per batched forward step in {@link #rowsOfDocuments}. */
    private static final int BATCH = 16;

    private final ModelHost host;
    private final ForwardPass forward;
    private final KvArena kv;
    private final int d;
    private final int window;

    public FeatureExtractor(ModelHost host) {
        this.host = host;
        Architecture arch = host.architecture();
        this.kv = KvArena.forModel(arch, BATCH);
        this.forward = new ForwardPass(host.model(), host.experts(), kv, (layer, routing) -> { });
        this.d = arch.dModel();
        this.window = arch.window();
    }

    /** {@code x [T,d]}: the PC layer's input at each of the {@code T} positions of {@code tokens}. */
    public float[] pcInputs(int[] tokens) {
        int t = tokens.length;
        float[] hidden = new float[t * d];                   // final hidden states [T,d]
        kv.clear(0);
        for (int from = 0; from < t; from += window) {
            int to = Math.min(t, from + window);
            StepOutput out = forward.run(StepInput.chunk(0, tokens, from, to, from, true));
            if (!out.failures().isEmpty()) {
                throw new IllegalStateException("expert computation failed: " + out.failures());
            }
            System.arraycopy(out.hidden(), 0, hidden, from * d, (to - from) * d);
        }
        return normed(hidden, t);
    }

    /** The final norm of {@code hidden [n,d]} through {@code head.onnx}: {@code x [n,d]}. */
    private float[] normed(float[] hidden, int n) {
        float[] x = new float[n * d];                        // normed [n,d]
        int vocab = host.architecture().vocabSize();
        float[] logits = new float[HEAD_CHUNK * vocab];
        float[] normed = new float[HEAD_CHUNK * d];
        for (int from = 0; from < n; from += HEAD_CHUNK) {
            int rows = Math.min(HEAD_CHUNK, n - from);
            host.model().head(hidden, from, rows, host.model().baseAdapter(), logits, 0, normed);
            System.arraycopy(normed, 0, x, from * d, rows * d);
        }
        return x;
    }

    /**
     * Rows of whole documents (each learned from its second token on, each at most one window long), run
     * {@value #BATCH} at a time: documents of a batch are right-padded to the longest, which changes nothing
     * for the real positions (attention is causal) and is dropped afterwards.
     */
    public Rows rowsOfDocuments(List<int[]> docs) {
        List<Rows> out = new ArrayList<>();
        for (int from = 0; from < docs.size(); from += BATCH) {
            List<int[]> batch = docs.subList(from, Math.min(docs.size(), from + BATCH));
            int b = batch.size();
            int t = batch.stream().mapToInt(doc -> doc.length).max().orElseThrow();
            if (t > window) {
                throw new IllegalArgumentException("documents must be at most " + window + " tokens, got " + t);
            }
            long[] ids = new long[b * t];                                   // [B,T], right-padded with token 0
            long[] positions = new long[b * t];
            for (int r = 0; r < b; r++) {
                kv.clear(r);
                for (int i = 0; i < t; i++) {
                    ids[r * t + i] = i < batch.get(r).length ? batch.get(r)[i] : 0;
                    positions[r * t + i] = i;
                }
            }
            StepOutput step = forward.run(new StepInput(0, b, t, ids, positions, true));     // hidden [B*T,d]
            if (!step.failures().isEmpty()) {
                throw new IllegalStateException("expert computation failed: " + step.failures());
            }
            float[] x = normed(step.hidden(), b * t);
            for (int r = 0; r < b; r++) {
                int[] doc = batch.get(r);
                int n = doc.length - 1;                                      // positions 0..len-2 predict 1..len-1
                float[] rx = new float[n * d];
                System.arraycopy(x, r * t * d, rx, 0, n * d);
                out.add(new Rows(d, rx, Arrays.copyOfRange(doc, 1, doc.length)));
            }
        }
        return Rows.concat(d, out);
    }

    /**
     * Training rows of a sequence whose tokens from {@code firstTarget} on are to be learned: the inputs at
     * positions {@code firstTarget-1 … T-2} with targets {@code tokens[firstTarget … T-1]}.
     */
    public Rows rows(int[] tokens, int firstTarget) {
        if (firstTarget < 1 || firstTarget >= tokens.length) {
            throw new IllegalArgumentException("first target " + firstTarget + " outside 1.." + (tokens.length - 1));
        }
        float[] x = pcInputs(tokens);
        int n = tokens.length - firstTarget;
        float[] rx = new float[n * d];
        System.arraycopy(x, (firstTarget - 1) * d, rx, 0, n * d);
        int[] targets = new int[n];
        System.arraycopy(tokens, firstTarget, targets, 0, n);
        return new Rows(d, rx, targets);
    }
}
