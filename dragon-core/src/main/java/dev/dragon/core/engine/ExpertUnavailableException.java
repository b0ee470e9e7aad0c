package dev.dragon.core.engine;

import java.util.Map;

/** A routed expert the request needed could not be computed (HTTP 503); other requests are unaffected. */
public final class ExpertUnavailableException extends EngineException {

    private final Map<String, String> failures;

    public ExpertUnavailableException(Map<String, String> failures) {
        super("experts unavailable: " + failures);
        this.failures = Map.copyOf(failures);
    }

    /** "layer L expert E" → reason. */
    public Map<String, String> failures() {
        return failures;
    }
}
