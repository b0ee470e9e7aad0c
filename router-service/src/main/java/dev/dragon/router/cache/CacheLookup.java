package dev.dragon.router.cache;

import java.util.Optional;

/**
 * The result of a cache lookup: never an error. {@code value} is present exactly on a {@link CacheOutcome#HIT}.
 */
public record CacheLookup<T>(CacheOutcome outcome, Optional<T> value) {

    public CacheLookup {
        if ((outcome == CacheOutcome.HIT) != value.isPresent()) {
            throw new IllegalArgumentException("a hit, and only a hit, carries a value");
        }
    }

    public static <T> CacheLookup<T> hit(T value) {
        return new CacheLookup<>(CacheOutcome.HIT, Optional.of(value));
    }

    public static <T> CacheLookup<T> miss() {
        return new CacheLookup<>(CacheOutcome.MISS, Optional.empty());
    }

    public static <T> CacheLookup<T> bypass() {
        return new CacheLookup<>(CacheOutcome.BYPASS, Optional.empty());
    }

    public boolean isHit() {
        return outcome == CacheOutcome.HIT;
    }

    /** The {@code x-dragon-cache} response header value. */
    public String header() {
        return outcome.header();
    }
}
