package dev.dragon.learning.ingest;

/** A record the learner cannot use (bad JSON, wrong schema version, token ids outside the vocabulary). */
public final class MalformedEventException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MalformedEventException(String message) {
        super(message);
    }
}
