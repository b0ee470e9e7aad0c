package dev.dragon.core.model;

import dev.dragon.core.bundle.Architecture;
import dev.dragon.core.expert.ExpertBackend;
import dev.dragon.core.expert.ExpertResult;
import dev.dragon.core.gating.Routing;
import dev.dragon.core.kv.KvArena;
import dev.dragon.core.model.StepProfile.Stage;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One step of the model for a run of sequences, top to bottom:
 * <pre>
 *   h = Embed(ids)                                               [B, T, d]
 *   for each layer l:
 *     h', u, k, v = Attention_l(h, positions, K_l, V_l, ring)     sliding window over the KV ring
 *     ring_l[p mod W] = (k, v)
 *     s = sigmoid(u·gateᵀ); sel = topk(s + b); g = s[sel]/Σ     gating (in Java)
 *     h = h' + Shared_l(u) + Σ_{i∈sel} g_i · E_i(u)              routed experts via the ExpertBackend
 * </pre>
 * <b>Micro-batches.</b> With {@code microBatches > 1} the rows are split into that many consecutive
 * micro-batches (each of at least {@code minRowsPerMicroBatch} rows) that run the layers staggered, as
 * DeepSeek-V3's decode does with two: while micro-batch A's routed experts of layer l are computed by the
 * backend (remote expert groups), this thread combines micro-batch B's layer l−1 and runs B's attention,
 * gate and shared expert of layer l; then it waits for A. Every row's arithmetic is the same as in one
 * batch, so the tokens are too (rows are independent in every graph). With an in-place backend
 * ({@link dev.dragon.core.expert.LocalExpertBackend}) there is nothing to hide: use one micro-batch.
 *
 * <p>The head (final norm, PC layer, LM head) is {@link DragonModel#head}. Not thread-safe: one engine
 * thread drives it together with the {@link KvArena} it writes.
 */
public final class ForwardPass {

    /** Sees every layer's routing (for load statistics); called once per micro-batch and layer. */
    @FunctionalInterface
    public interface RoutingListener {
        void onRouting(int layer, Routing routing);
    }

    private final DragonModel model;
    private final ExpertBackend experts;
    private final KvArena kv;
    private final RoutingListener routingListener;
    private final Architecture arch;
    private final int microBatches;
    private final int minRowsPerMicroBatch;
    private final StepProfile profile = new StepProfile();

    /** One micro-batch: every step runs its rows as a single batch. */
    public ForwardPass(DragonModel model, ExpertBackend experts, KvArena kv, RoutingListener routingListener) {
        this(model, experts, kv, routingListener, 1, 1);
    }

    /**
     * @param microBatches         at most this many staggered micro-batches per step (1: no overlap)
     * @param minRowsPerMicroBatch a step splits only so far that each micro-batch keeps at least this many rows
     */
    public ForwardPass(DragonModel model, ExpertBackend experts, KvArena kv, RoutingListener routingListener,
                       int microBatches, int minRowsPerMicroBatch) {
        if (microBatches < 1 || minRowsPerMicroBatch < 1) {
            throw new IllegalArgumentException("microBatches and minRowsPerMicroBatch must be >= 1");
        }
        this.model = model;
        this.experts = experts;
        this.kv = kv;
        this.routingListener = routingListener;
        this.arch = model.architecture();
        this.microBatches = microBatches;
        this.minRowsPerMicroBatch = minRowsPerMicroBatch;
    }

    public KvArena kv() {
        return kv;
    }

    /** Time by stage of the steps run since the caller last {@linkplain StepProfile#reset() reset} it. */
    public StepProfile profile() {
        return profile;
    }

    /** How many micro-batches a step of {@code rows} sequences runs as. */
    public int microBatchesFor(int rows) {
        return Math.max(1, Math.min(microBatches, rows / minRowsPerMicroBatch));
    }

    public StepOutput run(StepInput in) {
        final int b = in.batch(), t = in.tokens(), d = arch.dModel(), layers = arch.nLayers();
        if (t > arch.window()) {
            throw new IllegalArgumentException("at most " + arch.window() + " tokens per step, got " + t);
        }
        Step step = new Step(b, layers);
        int m = microBatchesFor(b);
        MicroBatch[] lanes = new MicroBatch[m];
        for (int i = 0; i < m; i++) {                                       // rows [b·i/m, b·(i+1)/m)
            lanes[i] = new MicroBatch(step, in, b * i / m, b * (i + 1) / m);
        }
        for (int l = 0; l < layers; l++) {                                  // staggered: A_l, B_l while A's experts run
            for (MicroBatch lane : lanes) {
                if (l > 0) {
                    lane.finishLayer(l - 1);
                }
                lane.startLayer(l);
            }
        }
        for (MicroBatch lane : lanes) {
            lane.finishLayer(layers - 1);
        }
        for (int r = 0; r < b; r++) {
            for (int i = 0; i < t; i++) {
                kv.commit(in.firstSlot() + r, in.positions()[r * t + i]);
            }
        }
        int rowsOut = in.allPositions() ? b * t : b;
        float[] hidden = m == 1 ? lanes[0].output() : new float[rowsOut * d]; // [rowsOut, d]
        if (m > 1) {
            for (MicroBatch lane : lanes) {
                float[] part = lane.output();
                System.arraycopy(part, 0, hidden, lane.row0 * (rowsOut / b) * d, part.length);
            }
        }
        return new StepOutput(hidden, rowsOut, step.chosen, step.failedRows, step.failures);
    }

    /** What a step collects over all its micro-batches: routed experts per row and layer, failures. */
    private static final class Step {
        final int[][][] chosen;                                             // [B][layers][k]
        final BitSet failedRows;
        final Map<String, String> failures = new LinkedHashMap<>();

        Step(int b, int layers) {
            chosen = new int[b][layers][];
            failedRows = new BitSet(b);
        }
    }

    /** Rows [row0, row0 + batch) of a step: their hidden states and the layer whose experts are in flight. */
    private final class MicroBatch {
        final Step step;
        final StepInput in;
        final int row0;
        final float[] h;                                                    // [b, T, d]
        final float[] attended;                                             // h' [b, T, d]
        final float[] u;                                                    // MoE input [b, T, d]
        final float[] shared;                                               // Shared_l(u) [b·T, d]
        final LongBuffer ring;                                              // [b, W]
        RoutedRows routed;
        CompletableFuture<ExpertResult> pending;

        MicroBatch(Step step, StepInput whole, int from, int to) {
            this.step = step;
            this.row0 = from;
            int t = whole.tokens();
            this.in = from == 0 && to == whole.batch() ? whole
                    : new StepInput(whole.firstSlot() + from, to - from, t,
                            Arrays.copyOfRange(whole.ids(), from * t, to * t),
                            Arrays.copyOfRange(whole.positions(), from * t, to * t), whole.allPositions());
            int n = in.batch() * t, d = arch.dModel();
            h = new float[n * d];
            attended = new float[n * d];
            u = new float[n * d];
            shared = new float[n * d];
            long t0 = System.nanoTime();
            try (var out = model.embed().call().longs("input_ids", in.ids(), in.batch(), t).run()) {
                out.copy("hidden", h, 0);
            }
            profile.lap(Stage.EMBED, t0);
            ring = kv.positions(in.firstSlot(), in.batch());
        }

        /** Attention, gate, routed experts submitted, shared expert computed meanwhile. */
        void startLayer(int l) {
            final int b = in.batch(), t = in.tokens(), n = b * t, d = arch.dModel();
            long t0 = System.nanoTime();
            attention(l, in, h, ring, attended, u);
            t0 = profile.lap(Stage.ATTENTION, t0);
            Routing routing = model.gate(l).route(u, 0, n);
            routingListener.onRouting(l, routing);
            for (int r = 0; r < b; r++) {
                step.chosen[row0 + r][l] = routing.experts(r * t + t - 1);
            }
            t0 = profile.lap(Stage.GATE, t0);
            routed = RoutedRows.of(l, routing, u, d, arch.routedExperts());
            pending = experts.submit(routed.batch());
            t0 = profile.lap(Stage.DISPATCH, t0);
            try (var out = model.shared(l).call().floats("x", u, 0, n * d, n, d).run()) {
                out.copy("y", shared, 0);
            }
            profile.lap(Stage.SHARED, t0);
        }

        /** Waits for layer l's routed experts: h = h' + Shared(u) + Σ g·E(u). */
        void finishLayer(int l) {
            long t0 = System.nanoTime();
            ExpertResult result = pending.join();
            t0 = profile.lap(Stage.WAIT, t0);
            for (int i = 0; i < h.length; i++) {
                h[i] = attended[i] + shared[i];
            }
            routed.combineInto(h, result);
            int t = in.tokens();
            for (var f : result.failures().entrySet()) {
                step.failures.put("layer " + l + " expert " + f.getKey(), f.getValue());
                routed.rowsOf(f.getKey()).forEach(row -> step.failedRows.set(row0 + row / t));
            }
            pending = null;
            routed = null;
            profile.lap(Stage.COMBINE, t0);
        }

        float[] output() {
            return in.allPositions() ? h : lastPositions(h, in.batch(), in.tokens(), arch.dModel());
        }
    }

    /** Runs layer {@code l}'s attention block and writes the new keys and values into the rings. */
    private void attention(int l, StepInput in, float[] h, LongBuffer ring, float[] attended, float[] u) {
        final int b = in.batch(), t = in.tokens(), d = arch.dModel();
        final int heads = arch.nHeads(), w = arch.window(), dh = arch.headDim();
        float[] kNew;
        float[] vNew;
        try (var out = model.attention(l).call()
                .floats("hidden", h, 0, b * t * d, b, t, d)
                .longs("positions", in.positions(), b, t)
                .floats("k_cache", kv.keys(l, in.firstSlot(), b), b, heads, w, dh)
                .floats("v_cache", kv.values(l, in.firstSlot(), b), b, heads, w, dh)
                .longs("cache_positions", ring.duplicate(), b, w)
                .run()) {
            out.copy("hidden_out", attended, 0);
            out.copy("moe_input", u, 0);
            kNew = out.floats("k_new");                                     // [B, H, T, Dh]
            vNew = out.floats("v_new");
        }
        for (int r = 0; r < b; r++) {
            for (int i = 0; i < t; i++) {
                kv.write(l, in.firstSlot() + r, in.positions()[r * t + i], kNew, vNew, r, t, i);
            }
        }
    }

    private static float[] lastPositions(float[] h, int b, int t, int d) {
        if (t == 1) {
            return h;
        }
        float[] last = new float[b * d];
        for (int r = 0; r < b; r++) {
            System.arraycopy(h, ((r + 1) * t - 1) * d, last, r * d, d);
        }
        return last;
    }
}
