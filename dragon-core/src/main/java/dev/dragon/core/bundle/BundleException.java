package dev.dragon.core.bundle;

/** A model bundle cannot be used; the message names the file and what is wrong with it. */
public final class BundleException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String file;

    public BundleException(String file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public BundleException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The bundle file concerned, relative to the bundle directory (e.g. {@code experts/l0_e3.onnx}). */
    public String file() {
        return file;
    }
}
