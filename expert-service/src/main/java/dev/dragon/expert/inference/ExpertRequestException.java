package dev.dragon.expert.inference;

/**
 * A dispatch request this replica refuses; the gRPC layer maps each {@link Kind} to a status in one place
 * ({@code dev.dragon.expert.grpc.ExpertExceptionHandler}). Never thrown for a fault of the replica itself.
 */
public final class ExpertRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What is wrong with the request; {@link #reason()} is its bounded metric label. */
    public enum Kind {
        /** The request's schema version or model is not what this replica serves. */
        MODEL_MISMATCH("model_mismatch"),
        /** A layer or (layer, expert) the request names is not served here. */
        NOT_SERVED("not_served"),
        /** Malformed rows: undecodable bytes, a width other than d_model, an expert listed twice. */
        INVALID_ROWS("invalid"),
        /** More rows than one call may carry. */
        TOO_MANY_ROWS("too_many_rows"),
        /** Still warming up or shutting down: the caller should use another replica. */
        NOT_READY("not_ready");

        private final String reason;

        Kind(String reason) {
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    private final Kind kind;

    public ExpertRequestException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
