package dev.dragon.core.runtime;

/**
 * Threading of ONNX Runtime for the whole process.
 *
 * <p>All sessions share one global intra-op pool (a bundle has dozens of small graphs; a pool per
 * session would start dozens of idle threads). ORT's environment is a process singleton: the first
 * {@link OrtRuntime} created in a process fixes these settings.
 *
 * @param intraOpThreads threads one graph run may use (≥ 1); the cores of a small machine
 * @param spinning       whether idle pool threads spin briefly before sleeping (lower latency, more CPU)
 */
public record RuntimeOptions(int intraOpThreads, boolean spinning) {

    public RuntimeOptions {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intraOpThreads must be >= 1, was " + intraOpThreads);
        }
    }

    /** One thread per core, up to 8, spinning on. */
    public static RuntimeOptions defaults() {
        return new RuntimeOptions(Math.min(8, Runtime.getRuntime().availableProcessors()), true);
    }
}
