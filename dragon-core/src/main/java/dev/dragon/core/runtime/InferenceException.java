package dev.dragon.core.runtime;

/** A graph failed to load or to run; names the graph. */
public class InferenceException extends RuntimeException {

    private final String graph;

    public InferenceException(String graph, String message, Throwable cause) {
        super(graph + ": " + message, cause);
        this.graph = graph;
    }

    public String graph() {
        return graph;
    }
}
