package dev.dragon.core.model;

import dev.dragon.core.bundle.Architecture;
import dev.dragon.core.expert.ExpertBackend;
import dev.dragon.core.expert.ExpertBatch;
import dev.dragon.core.expert.ExpertResult;
import dev.dragon.core.gating.ExpertAssignments;
import dev.dragon.core.gating.Routing;
import dev.dragon.core.kv.KvArena;
import java.nio.LongBuffer;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;

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
 * The head (final norm, PC layer, LM head) is {@link DragonModel#head}. Not thread-safe: one engine
 * thread drives it together with the {@link KvArena} it writes.
 */
public final class ForwardPass {

    /** Sees every layer's routing (for load statistics). */
    @FunctionalInterface
    public interface RoutingListener {
        void onRouting(int layer, Routing routing);
    }

    private final DragonModel model;
    private final ExpertBackend experts;
    private final KvArena kv;
    private final RoutingListener routingListener;
    private final Architecture arch;

    public ForwardPass(DragonModel model, ExpertBackend experts, KvArena kv, RoutingListener routingListener) {
        this.model = model;
        this.experts = experts;
        this.kv = kv;
        this.routingListener = routingListener;
        this.arch = model.architecture();
    }

    public KvArena kv() {
        return kv;
    }

    public StepOutput run(StepInput in) {
        final int b = in.batch(), t = in.tokens(), n = b * t;
        final int d = arch.dModel(), layers = arch.nLayers();
        if (t > arch.window()) {
            throw new IllegalArgumentException("at most " + arch.window() + " tokens per step, got " + t);
        }
        float[] h = new float[n * d];                                       // [B, T, d]
        try (var out = model.embed().call().longs("input_ids", in.ids(), b, t).run()) {
            out.copy("hidden", h, 0);
        }
        LongBuffer ring = kv.positions(in.firstSlot(), b);                  // [B, W]
        float[] attended = new float[n * d];                                // h' [B, T, d]
        float[] u = new float[n * d];                                       // MoE input [B, T, d]
        int[][][] chosen = new int[b][layers][];
        BitSet failedRows = new BitSet(b);
        Map<String, String> failures = new LinkedHashMap<>();

        for (int l = 0; l < layers; l++) {
            attention(l, in, h, ring, attended, u);
            Routing routing = model.gate(l).route(u, 0, n);
            routingListener.onRouting(l, routing);
            for (int r = 0; r < b; r++) {
                chosen[r][l] = routing.experts(r * t + t - 1);
            }
            Dispatch dispatch = Dispatch.of(l, routing, u, d, arch.routedExperts());
            var pending = experts.submit(dispatch.batch());
            float[] shared = new float[n * d];                              // Shared_l(u) [N, d]
            try (var out = model.shared(l).call().floats("x", u, 0, n * d, n, d).run()) {
                out.copy("y", shared, 0);
            }
            ExpertResult routed = pending.join();
            for (int i = 0; i < n * d; i++) {
                h[i] = attended[i] + shared[i];
            }
            dispatch.combineInto(h, routed);
            for (var f : routed.failures().entrySet()) {
                failures.put("layer " + l + " expert " + f.getKey(), f.getValue());
                dispatch.rowsOf(f.getKey()).forEach(row -> failedRows.set(row / t));
            }
        }
        for (int r = 0; r < b; r++) {
            for (int i = 0; i < t; i++) {
                kv.commit(in.firstSlot() + r, in.positions()[r * t + i]);
            }
        }
        return new StepOutput(in.allPositions() ? h : lastPositions(h, b, t, d), in.allPositions() ? n : b,
                chosen, failedRows, failures);
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

    /** The rows of one layer packed by expert, and how to fold the expert outputs back in. */
    record Dispatch(ExpertBatch batch, int[] sourceRow, float[] weight) {

        static Dispatch of(int layer, Routing routing, float[] u, int d, int expertCount) {
            ExpertAssignments byExpert = routing.byExpert(expertCount);
            int used = 0;
            int total = 0;
            for (int e = 0; e < expertCount; e++) {
                if (byExpert.count(e) > 0) {
                    used++;
                    total += byExpert.count(e);
                }
            }
            int[] experts = new int[used];
            int[] offsets = new int[used + 1];
            int[] sourceRow = new int[total];
            float[] weight = new float[total];
            float[] input = new float[total * d];                           // [Σ rows, d]
            int i = 0;
            int row = 0;
            for (int e = 0; e < expertCount; e++) {
                int count = byExpert.count(e);
                if (count == 0) {
                    continue;
                }
                experts[i] = e;
                int[] rows = byExpert.rows(e);
                float[] ws = byExpert.weights(e);
                for (int j = 0; j < count; j++, row++) {
                    sourceRow[row] = rows[j];
                    weight[row] = ws[j];
                    System.arraycopy(u, rows[j] * d, input, row * d, d);
                }
                offsets[++i] = row;
            }
            return new Dispatch(new ExpertBatch(layer, d, experts, offsets, input), sourceRow, weight);
        }

        /** h[row] += g · E(u[row]) for every routed (row, expert). */
        void combineInto(float[] h, ExpertResult result) {
            int d = batch.dModel();
            float[] y = result.output();
            for (int r = 0; r < sourceRow.length; r++) {
                int dst = sourceRow[r] * d;
                int src = r * d;
                float g = weight[r];
                for (int k = 0; k < d; k++) {
                    h[dst + k] += g * y[src + k];
                }
            }
        }

        java.util.stream.IntStream rowsOf(int expert) {
            for (int i = 0; i < batch.experts().length; i++) {
                if (batch.experts()[i] == expert) {
                    return java.util.Arrays.stream(sourceRow, batch.offsets()[i], batch.offsets()[i + 1]);
                }
            }
            return java.util.stream.IntStream.empty();
        }
    }
}
