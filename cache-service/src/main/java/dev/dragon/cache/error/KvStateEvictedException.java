package dev.dragon.cache.error;

/** A chunk of a KV state disappeared (evicted or replaced) while the state was being read. */
public final class KvStateEvictedException extends CacheException {

    private static final long serialVersionUID = 1L;

    public KvStateEvictedException(String message) {
        super(message, null);
    }

    @Override
    public String reason() {
        return "evicted";
    }
}
