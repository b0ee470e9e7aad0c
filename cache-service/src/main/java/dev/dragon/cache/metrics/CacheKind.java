package dev.dragon.cache.metrics;

/** The two caches, as the {@code cache} metric label spells them. */
public enum CacheKind {
    RESPONSE("response"),
    KV("kv");

    private final String label;

    CacheKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
