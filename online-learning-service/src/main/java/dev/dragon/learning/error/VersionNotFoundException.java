package dev.dragon.learning.error;

/** 404: the adapter version named is not on {@code dragon.adapters}. */
public final class VersionNotFoundException extends LearningException {

    private static final long serialVersionUID = 1L;

    public VersionNotFoundException(long version) {
        super("adapter version " + version + " does not exist", "version");
    }

    @Override
    public int status() {
        return 404;
    }

    @Override
    public String type() {
        return "invalid_request_error";
    }

    @Override
    public String code() {
        return "version_not_found";
    }
}
