package dev.dragon.router.cache;

/** What a cache lookup did, as the {@code x-dragon-cache} response header says it. */
public enum CacheOutcome {
    /** Answered from the cache. */
    HIT,
    /** Looked up, not there. */
    MISS,
    /** Not looked up: the request is not eligible, the cache is disabled, or cache-service is unavailable. */
    BYPASS;

    /** The header value: {@code hit}, {@code miss} or {@code bypass}. */
    public String header() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
