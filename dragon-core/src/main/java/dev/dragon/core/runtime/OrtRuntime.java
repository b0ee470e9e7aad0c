package dev.dragon.core.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;

/** Creates {@link Graph}s that share one ONNX Runtime environment and its global thread pool. */
public final class OrtRuntime {

    private final OrtEnvironment env;
    private final RuntimeOptions options;

    public OrtRuntime(RuntimeOptions options) {
        this.options = options;
        try (var threading = new OrtEnvironment.ThreadingOptions()) {
            threading.setGlobalIntraOpNumThreads(options.intraOpThreads());
            threading.setGlobalInterOpNumThreads(1);
            threading.setGlobalSpinControl(options.spinning());
            threading.setGlobalDenormalAsZero();
            this.env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "dragon", threading);
        } catch (OrtException e) {
            throw new InferenceException("environment", "cannot create the ONNX Runtime environment", e);
        }
    }

    public OrtEnvironment env() {
        return env;
    }

    public RuntimeOptions options() {
        return options;
    }

    /** Loads one graph with full graph optimisation (folds the fp16→fp32 weight casts once, here). */
    public Graph load(Path onnx) {
        String name = onnx.getFileName().toString();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.disablePerSessionThreads();
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            return new Graph(name, env, env.createSession(onnx.toString(), so));
        } catch (OrtException e) {
            throw new InferenceException(name, "cannot load " + onnx, e);
        }
    }
}
