package dev.dragon.learning.error;

import dev.dragon.learning.metrics.LearnerMetrics;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place a failure becomes an HTTP status, an OpenAI-style error body and a count. */
public final class ErrorMapping {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);

    /** A status and the body {@code {"error": {"message", "type", "param", "code"}}}. */
    public record Mapped(int status, Map<String, Object> body) {
    }

    private final LearnerMetrics metrics;

    public ErrorMapping(LearnerMetrics metrics) {
        this.metrics = metrics;
    }

    public Mapped map(String action, Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        LearningException e;
        if (t instanceof LearningException known) {
            e = known;
        } else if (t instanceof IllegalStateException) {
            e = new LearnerUnavailableException(t.getMessage());
        } else {
            LOG.error("admin action {} failed", action, t);
            metrics.adminRequest(action, 500);
            return new Mapped(500, body("internal error: " + t, "server_error", null, "internal_error"));
        }
        metrics.adminRequest(action, e.status());
        return new Mapped(e.status(), body(e.getMessage(), e.type(), e.param(), e.code()));
    }

    private static Map<String, Object> body(String message, String type, String param, String code) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return Map.of("error", error);
    }
}
