package dev.dragon.core.json;

/** A JSON document is well-formed but a field is missing or has the wrong type or value; the message names the field path. */
public final class JsonFieldException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String path;

    public JsonFieldException(String path, String problem) {
        super(path.isEmpty() ? problem : "field '" + path + "': " + problem);
        this.path = path;
    }

    /** Dotted path of the offending field, e.g. {@code architecture.d_model} or {@code graphs.experts[1][3]}. */
    public String path() {
        return path;
    }
}
