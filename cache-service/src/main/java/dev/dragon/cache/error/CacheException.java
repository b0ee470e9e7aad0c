package dev.dragon.cache.error;

/**
 * Root of cache-service's exceptions; {@link CacheErrors} maps each kind to a gRPC status, an HTTP
 * status with an OpenAI-style error body, and {@code dragon_cache_failures_total{reason}}.
 */
public abstract sealed class CacheException extends RuntimeException
        permits InvalidCacheRequestException, CacheUnavailableException, KvStateEvictedException {

    private static final long serialVersionUID = 1L;

    protected CacheException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The metric label and error code of this kind. */
    public abstract String reason();
}
