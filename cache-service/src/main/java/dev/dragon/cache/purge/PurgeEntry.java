package dev.dragon.cache.purge;

/**
 * One entry of the purge log: every entry of {@code tenant} was deleted. {@code tenant} is null for an entry
 * that names no tenant (never written by cache-service): watchers treat it as "drop everything".
 */
public record PurgeEntry(PurgeId id, String tenant) {
}
