package dev.dragon.learning.model;

import dev.dragon.core.bundle.Architecture;
import dev.dragon.core.bundle.ModelBundle;
import dev.dragon.core.expert.ExpertRunner;
import dev.dragon.core.expert.LocalExpertBackend;
import dev.dragon.core.model.DragonModel;
import dev.dragon.core.runtime.Graph;
import dev.dragon.core.runtime.OrtRuntime;
import dev.dragon.core.runtime.RuntimeOptions;
import dev.dragon.core.tokenizer.BpeTokenizer;
import dev.dragon.learning.pc.PcWeights;
import java.nio.file.Path;

/**
 * The whole bundle in this process (the learner recomputes hidden states itself, so it never loads a router's
 * traffic): the dense model, every routed expert, and {@code lm_head.onnx} for the output loss.
 */
public final class ModelHost implements AutoCloseable {

    private final ModelBundle bundle;
    private final DragonModel model;
    private final LocalExpertBackend experts;
    private final Graph lmHead;
    private final PcWeights baseWeights;

    private ModelHost(ModelBundle bundle, DragonModel model, LocalExpertBackend experts, Graph lmHead) {
        this.bundle = bundle;
        this.model = model;
        this.experts = experts;
        this.lmHead = lmHead;
        var base = model.baseAdapter();
        this.baseWeights = new PcWeights(base.pcHidden(), base.dModel(), base.w1Array(), base.w2Array());
    }

    /** Opens and verifies the bundle in {@code dir} and loads every graph with {@code threads} intra-op threads. */
    public static ModelHost open(Path dir, int threads) {
        ModelBundle bundle = ModelBundle.open(dir);
        OrtRuntime runtime = new OrtRuntime(new RuntimeOptions(threads, false));
        DragonModel model = DragonModel.load(bundle, runtime, null);
        LocalExpertBackend experts = null;
        try {
            experts = new LocalExpertBackend(ExpertRunner.load(bundle, runtime, ExpertRunner.Selection.all()));
            return new ModelHost(bundle, model, experts, runtime.load(bundle.lmHeadGraph()));
        } catch (RuntimeException e) {
            if (experts != null) {
                experts.close();
            }
            model.close();
            throw e;
        }
    }

    public ModelBundle bundle() {
        return bundle;
    }

    public DragonModel model() {
        return model;
    }

    public LocalExpertBackend experts() {
        return experts;
    }

    public Architecture architecture() {
        return bundle.architecture();
    }

    public BpeTokenizer tokenizer() {
        return model.tokenizer();
    }

    /** Bundle name (adapters are only valid for the bundle they were trained on). */
    public String modelName() {
        return bundle.manifest().name();
    }

    public String modelVersion() {
        return bundle.manifest().version();
    }

    /** The bundle's own PC layer, version 0. */
    public PcWeights baseWeights() {
        return baseWeights;
    }

    Graph lmHead() {
        return lmHead;
    }

    @Override
    public void close() {
        lmHead.close();
        experts.close();
        model.close();
    }
}
