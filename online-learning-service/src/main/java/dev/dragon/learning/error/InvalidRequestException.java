package dev.dragon.learning.error;

/** 400: the request is malformed (bad JSON, a missing or wrongly typed field). */
public final class InvalidRequestException extends LearningException {

    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String message, String param) {
        super(message, param);
    }

    @Override
    public int status() {
        return 400;
    }

    @Override
    public String type() {
        return "invalid_request_error";
    }

    @Override
    public String code() {
        return "invalid_value";
    }
}
