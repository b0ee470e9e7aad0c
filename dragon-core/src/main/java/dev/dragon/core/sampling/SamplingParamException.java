package dev.dragon.core.sampling;

/** An invalid sampling parameter; {@link #field()} is its API name (e.g. {@code top_p}). */
public final class SamplingParamException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public SamplingParamException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    /** The parameter's name as the OpenAI-compatible API spells it. */
    public String field() {
        return field;
    }
}
