package dev.dragon.contracts.openai;

/** A request body that cannot be accepted; carries the {@link Violation} to answer with (HTTP 400). */
public final class ViolationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Violation violation;

    public ViolationException(Violation violation, Throwable cause) {
        super(violation.message(), cause);
        this.violation = violation;
    }

    public ViolationException(Violation violation) {
        this(violation, null);
    }

    public Violation violation() {
        return violation;
    }
}
