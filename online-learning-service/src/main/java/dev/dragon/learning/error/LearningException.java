package dev.dragon.learning.error;

/**
 * A failure the admin API reports to its caller: each subclass fixes the HTTP status, error type and code;
 * {@link ErrorMapping} turns any of them (and anything unexpected) into the response.
 */
public abstract sealed class LearningException extends RuntimeException
        permits InvalidRequestException, VersionNotFoundException, LearnerUnavailableException {

    private static final long serialVersionUID = 1L;

    private final String param;

    protected LearningException(String message, String param) {
        super(message);
        this.param = param;
    }

    public abstract int status();

    public abstract String type();

    public abstract String code();

    /** The request field at fault, or null. */
    public String param() {
        return param;
    }
}
