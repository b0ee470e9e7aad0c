package dev.dragon.core.model;

import dev.dragon.core.adapter.PcAdapter;
import dev.dragon.core.bundle.Architecture;
import dev.dragon.core.bundle.ModelBundle;
import dev.dragon.core.gating.Gate;
import dev.dragon.core.gating.Gates;
import dev.dragon.core.gating.GatingPolicy;
import dev.dragon.core.runtime.Graph;
import dev.dragon.core.runtime.OrtRuntime;
import dev.dragon.core.tensor.SafeTensors;
import dev.dragon.core.tokenizer.BpeTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything of a bundle a router needs except the routed experts: tokenizer, embedding, per-layer
 * attention and shared expert, gates, head, and the bundle's own PC adapter (version "0").
 */
public final class DragonModel implements AutoCloseable {

    private final ModelBundle bundle;
    private final Architecture arch;
    private final BpeTokenizer tokenizer;
    private final Graph embed;
    private final List<Graph> attention;
    private final List<Graph> shared;
    private final Graph head;
    private final List<Gate> gates;
    private final PcAdapter baseAdapter;

    private DragonModel(ModelBundle bundle, BpeTokenizer tokenizer, Graph embed, List<Graph> attention,
                        List<Graph> shared, Graph head, List<Gate> gates, PcAdapter baseAdapter) {
        this.bundle = bundle;
        this.arch = bundle.architecture();
        this.tokenizer = tokenizer;
        this.embed = embed;
        this.attention = attention;
        this.shared = shared;
        this.head = head;
        this.gates = gates;
        this.baseAdapter = baseAdapter;
    }

    /** Loads the dense part of {@code bundle}; {@code policy} null means the bundle's top-k. */
    public static DragonModel load(ModelBundle bundle, OrtRuntime runtime, GatingPolicy policy) {
        Architecture arch = bundle.architecture();
        GatingPolicy gating = policy != null ? policy : GatingPolicy.topK(arch.topK());
        List<Graph> opened = new ArrayList<>();
        try {
            BpeTokenizer tokenizer = BpeTokenizer.load(bundle.tokenizerFile());
            if (tokenizer.vocabSize() != arch.vocabSize()) {
                throw new IllegalStateException(bundle.tokenizerFile() + ": vocabulary of " + tokenizer.vocabSize()
                        + " tokens, the manifest says " + arch.vocabSize());
            }
            Graph embed = track(opened, runtime.load(bundle.embedGraph()));
            List<Graph> attention = new ArrayList<>();
            List<Graph> shared = new ArrayList<>();
            for (int l = 0; l < arch.nLayers(); l++) {
                attention.add(track(opened, runtime.load(bundle.attentionGraph(l))));
                shared.add(track(opened, runtime.load(bundle.sharedExpertGraph(l))));
            }
            Graph head = track(opened, runtime.load(bundle.headGraph()));
            List<Gate> gates = Gates.fromTensors(SafeTensors.read(bundle.gatesTensors()),
                    bundle.manifest().gatingBias(), arch.dModel(), gating);
            PcAdapter base = PcAdapter.load(bundle.pcLayerTensors());
            if (base.dModel() != arch.dModel() || base.pcHidden() != arch.pcHidden()) {
                throw new IllegalStateException(bundle.pcLayerTensors() + ": PC layer shape does not match the manifest");
            }
            return new DragonModel(bundle, tokenizer, embed, List.copyOf(attention), List.copyOf(shared), head,
                    List.copyOf(gates), base);
        } catch (IOException e) {
            opened.forEach(Graph::close);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            opened.forEach(Graph::close);
            throw e;
        }
    }

    private static Graph track(List<Graph> opened, Graph g) {
        opened.add(g);
        return g;
    }

    public ModelBundle bundle() {
        return bundle;
    }

    public Architecture architecture() {
        return arch;
    }

    public BpeTokenizer tokenizer() {
        return tokenizer;
    }

    public Graph embed() {
        return embed;
    }

    public Graph attention(int layer) {
        return attention.get(layer);
    }

    public Graph shared(int layer) {
        return shared.get(layer);
    }

    public Gate gate(int layer) {
        return gates.get(layer);
    }

    public GatingPolicy gating() {
        return gates.getFirst().policy();
    }

    /** The bundle's PC layer (version "0", the identity). */
    public PcAdapter baseAdapter() {
        return baseAdapter;
    }

    /**
     * Final norm → PC layer → LM head for {@code rows} rows of {@code hidden [rows, d]} starting at row
     * {@code rowOffset}: writes {@code logits [rows, V]} into {@code logits} at {@code logitsOffset}
     * and, when {@code normed} is not null, the PC layer's input {@code [rows, d]} into it.
     */
    public void head(float[] hidden, int rowOffset, int rows, PcAdapter adapter, float[] logits, int logitsOffset,
                     float[] normed) {
        int d = arch.dModel();
        int p = adapter.pcHidden();
        try (var out = head.call()
                .floats("hidden", hidden, rowOffset * d, rows * d, rows, d)
                .floats("pc_w1", adapter.w1().duplicate(), p, d)
                .floats("pc_w2", adapter.w2().duplicate(), d, p)
                .run()) {
            out.copy("logits", logits, logitsOffset);
            if (normed != null) {
                out.copy("normed", normed, 0);
            }
        }
    }

    @Override
    public void close() {
        embed.close();
        attention.forEach(Graph::close);
        shared.forEach(Graph::close);
        head.close();
    }
}
