package dev.dragon.core.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** Creates {@link Graph}s that share one ONNX Runtime environment and its global thread pool. */
public final class OrtRuntime {

    private static final long LOADER_STACK_BYTES = 64L << 20;

    private final OrtEnvironment env;
    private final RuntimeOptions options;

    public OrtRuntime(RuntimeOptions options) {
        this.options = options;
        this.env = onLoaderThread("environment", () -> environment(options));
    }

    private static OrtEnvironment environment(RuntimeOptions options) {
        try (var threading = new OrtEnvironment.ThreadingOptions()) {
            threading.setGlobalIntraOpNumThreads(options.intraOpThreads());
            threading.setGlobalInterOpNumThreads(1);
            threading.setGlobalSpinControl(options.spinning());
            threading.setGlobalDenormalAsZero();
            return OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "dragon", threading);
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
        return onLoaderThread(name, () -> create(onnx, name));
    }

    /**
     * Runs {@code work} on a short-lived thread with a large stack. Loading ONNX Runtime's native library
     * and creating sessions recurse deeply in native code: on a thread with the JVM's default 1 MiB stack
     * that crashed the whole process (SIGSEGV, no hs_err) when the caller was already deep in its own stack
     * (seen from a benchmark main with a large class path). Runtime exceptions are rethrown to the caller.
     */
    private static <T> T onLoaderThread(String what, Supplier<T> work) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread loader = new Thread(null, () -> {
            try {
                result.set(work.get());
            } catch (RuntimeException e) {
                failure.set(e);
            }
        }, "ort-load-" + what, LOADER_STACK_BYTES);
        loader.start();
        try {
            loader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InferenceException(what, "interrupted while loading", e);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        if (result.get() == null) {
            throw new InferenceException(what, "the loader thread died (see the log for an Error)", null);
        }
        return result.get();
    }

    private Graph create(Path onnx, String name) {
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
