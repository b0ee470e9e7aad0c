package dev.dragon.router.dispatch;

import dev.dragon.core.bundle.GoldenReference;
import dev.dragon.core.bundle.ModelBundle;
import dev.dragon.core.expert.ExpertRunner;
import dev.dragon.core.model.DragonModel;
import dev.dragon.core.runtime.OrtRuntime;
import dev.dragon.core.runtime.RuntimeOptions;
import dev.dragon.router.testing.ShippedBundle;

/**
 * The shipped bundle (models/dragon-moe-mini, committed: its absence fails the test) with one ONNX Runtime,
 * every routed expert and the dense model, loaded once per test JVM (ORT's environment is per process).
 */
final class ShippedExperts {

    private static OrtRuntime runtime;
    private static ExpertRunner experts;
    private static DragonModel model;

    private ShippedExperts() {
    }

    static ModelBundle bundle() {
        return ShippedBundle.bundle();
    }

    static synchronized OrtRuntime runtime() {
        if (runtime == null) {
            runtime = new OrtRuntime(new RuntimeOptions(2, false));
        }
        return runtime;
    }

    /** Every routed expert of the bundle. */
    static synchronized ExpertRunner experts() {
        if (experts == null) {
            experts = ExpertRunner.load(bundle(), runtime(), ExpertRunner.Selection.all());
        }
        return experts;
    }

    /** The dense part (attention, shared experts, gates, head) with the bundle's top-k gating. */
    static synchronized DragonModel model() {
        if (model == null) {
            model = DragonModel.load(bundle(), runtime(), null);
        }
        return model;
    }

    static GoldenReference golden() {
        return bundle().golden();
    }

    /** {@code name@version}, as DispatchRequest.model names the bundle. */
    static String modelId() {
        return bundle().manifest().name() + "@" + bundle().manifest().version();
    }

    static int dModel() {
        return bundle().architecture().dModel();
    }
}
