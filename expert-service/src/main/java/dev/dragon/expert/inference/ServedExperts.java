package dev.dragon.expert.inference;

import dev.dragon.core.bundle.ModelBundle;
import dev.dragon.core.expert.ExpertRunner;
import dev.dragon.core.runtime.OrtRuntime;

/**
 * The ONNX sessions of this replica's experts and whether they are warm. Loaded when the context
 * starts; {@link #warmUp} runs every expert before the replica reports ready.
 */
public final class ServedExperts implements AutoCloseable {

    private final String modelId;
    private final ExpertPlacement placement;
    private final ExpertRunner runner;
    private final int routedExperts;
    private volatile boolean ready;

    private ServedExperts(String modelId, ExpertPlacement placement, ExpertRunner runner, int routedExperts) {
        this.modelId = modelId;
        this.placement = placement;
        this.runner = runner;
        this.routedExperts = routedExperts;
    }

    /** Loads the placed experts of {@code bundle} (nothing else of the model). */
    public static ServedExperts load(ModelBundle bundle, OrtRuntime runtime, ExpertPlacement placement) {
        ExpertRunner runner = ExpertRunner.load(bundle, runtime, placement);
        return new ServedExperts(modelIdOf(bundle), placement, runner, bundle.architecture().routedExperts());
    }

    /** How a router names a bundle in a DispatchRequest: {@code name@version}. */
    public static String modelIdOf(ModelBundle bundle) {
        return bundle.manifest().name() + "@" + bundle.manifest().version();
    }

    public String modelId() {
        return modelId;
    }

    public String group() {
        return placement.group();
    }

    public ExpertPlacement placement() {
        return placement;
    }

    public int dModel() {
        return runner.dModel();
    }

    public int routedExperts() {
        return routedExperts;
    }

    public ExpertRunner runner() {
        return runner;
    }

    public boolean ready() {
        return ready;
    }

    /** Runs every served expert {@code rounds} times on {@code rows} rows, then marks the replica ready. */
    public void warmUp(int rows, int rounds) {
        for (int i = 0; i < rounds; i++) {
            runner.warmUp(rows);
        }
        ready = true;
    }

    /** Stops accepting dispatch calls (shutdown). */
    public void drain() {
        ready = false;
    }

    @Override
    public void close() {
        ready = false;
        runner.close();
    }
}
