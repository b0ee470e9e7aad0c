package dev.dragon.cache.kv;

/**
 * The longest stored prefix among those asked about.
 *
 * @param index  its position in the request's list of prefix hashes
 * @param hash   its hash (hex)
 * @param tokens prompt tokens its state covers
 */
public record PrefixMatch(int index, String hash, int tokens) {
}
