package dev.dragon.learning.error;

/** 503: the learner is starting or resynchronising with Kafka; try again shortly. */
public final class LearnerUnavailableException extends LearningException {

    private static final long serialVersionUID = 1L;

    public LearnerUnavailableException(String message) {
        super(message, null);
    }

    @Override
    public int status() {
        return 503;
    }

    @Override
    public String type() {
        return "server_error";
    }

    @Override
    public String code() {
        return "learner_unavailable";
    }
}
