package dev.dragon.router.error;

import dev.dragon.contracts.openai.Violation;

/** The request is malformed or breaks a rule or limit (400); {@link #violation()} names the field. */
public final class InvalidRequestException extends RouterException {

    private static final long serialVersionUID = 1L;

    private final transient Violation violation;

    public InvalidRequestException(Violation violation) {
        this(violation, null);
    }

    public InvalidRequestException(Violation violation, Throwable cause) {
        super(violation.message(), cause);
        this.violation = violation;
    }

    public InvalidRequestException(String param, String message, String code) {
        this(new Violation(param, message, code));
    }

    public Violation violation() {
        return violation;
    }
}
