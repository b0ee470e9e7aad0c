package dev.dragon.cache.error;

/** Redis is down, refused the command, or did not answer within the configured timeout. */
public final class CacheUnavailableException extends CacheException {

    private static final long serialVersionUID = 1L;

    public CacheUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String reason() {
        return "unavailable";
    }
}
