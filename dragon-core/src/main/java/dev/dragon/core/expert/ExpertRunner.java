package dev.dragon.core.expert;

import dev.dragon.core.bundle.ModelBundle;
import dev.dragon.core.runtime.Graph;
import dev.dragon.core.runtime.OrtRuntime;
import java.util.ArrayList;
import java.util.List;

/**
 * ONNX sessions for a set of (layer, expert) FFNs of a bundle: all of them in-process, or one expert
 * group's in expert-service.
 */
public final class ExpertRunner implements AutoCloseable {

    /** Which experts to load. */
    @FunctionalInterface
    public interface Selection {
        boolean includes(int layer, int expert);

        static Selection all() {
            return (layer, expert) -> true;
        }
    }

    private final int dModel;
    private final Graph[][] graphs;   // [layer][expert], null when not loaded
    private final int loaded;

    private ExpertRunner(int dModel, Graph[][] graphs, int loaded) {
        this.dModel = dModel;
        this.graphs = graphs;
        this.loaded = loaded;
    }

    public static ExpertRunner load(ModelBundle bundle, OrtRuntime runtime, Selection selection) {
        var arch = bundle.architecture();
        Graph[][] graphs = new Graph[arch.nLayers()][arch.routedExperts()];
        int loaded = 0;
        try {
            for (int l = 0; l < arch.nLayers(); l++) {
                for (int e = 0; e < arch.routedExperts(); e++) {
                    if (selection.includes(l, e)) {
                        graphs[l][e] = runtime.load(bundle.expertGraph(l, e));
                        loaded++;
                    }
                }
            }
        } catch (RuntimeException ex) {
            closeAll(graphs);
            throw ex;
        }
        return new ExpertRunner(arch.dModel(), graphs, loaded);
    }

    public int dModel() {
        return dModel;
    }

    /** Number of (layer, expert) FFNs loaded. */
    public int loaded() {
        return loaded;
    }

    public boolean serves(int layer, int expert) {
        return layer >= 0 && layer < graphs.length && expert >= 0 && expert < graphs[layer].length
                && graphs[layer][expert] != null;
    }

    /** The (layer, expert) pairs loaded, as {@code [layer, expert]} pairs. */
    public List<int[]> servedExperts() {
        List<int[]> out = new ArrayList<>();
        for (int l = 0; l < graphs.length; l++) {
            for (int e = 0; e < graphs[l].length; e++) {
                if (graphs[l][e] != null) {
                    out.add(new int[] {l, e});
                }
            }
        }
        return out;
    }

    /** {@code out[rowOffset..+rows] = E(in[rowOffset..+rows])} for rows of width d. */
    public void run(int layer, int expert, float[] in, int rowOffset, int rows, float[] out) {
        if (!serves(layer, expert)) {
            throw new IllegalArgumentException("expert " + expert + " of layer " + layer + " is not loaded here");
        }
        if (rows == 0) {
            return;
        }
        try (var result = graphs[layer][expert].call()
                .floats("x", in, rowOffset * dModel, rows * dModel, rows, dModel)
                .run()) {
            result.copy("y", out, rowOffset * dModel);
        }
    }

    /** Runs every loaded expert once so the first real request does not pay for lazy initialisation. */
    public void warmUp(int rows) {
        float[] in = new float[rows * dModel];
        float[] out = new float[rows * dModel];
        for (int[] le : servedExperts()) {
            run(le[0], le[1], in, 0, rows, out);
        }
    }

    @Override
    public void close() {
        closeAll(graphs);
    }

    private static void closeAll(Graph[][] graphs) {
        for (Graph[] row : graphs) {
            for (Graph g : row) {
                if (g != null) {
                    g.close();
                }
            }
        }
    }
}
