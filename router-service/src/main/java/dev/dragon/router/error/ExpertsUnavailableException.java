package dev.dragon.router.error;

import java.util.Map;

/** Routed experts the request needed could not be reached (503); other requests are unaffected. */
public final class ExpertsUnavailableException extends RouterException {

    private static final long serialVersionUID = 1L;

    private final transient Map<String, String> failures;

    public ExpertsUnavailableException(Map<String, String> failures, Throwable cause) {
        super("Experts needed by this request are unavailable (" + String.join(", ", failures.keySet())
                + "); retry later.", cause);
        this.failures = Map.copyOf(failures);
    }

    /** "layer L expert E" → reason. */
    public Map<String, String> failures() {
        return failures;
    }
}
