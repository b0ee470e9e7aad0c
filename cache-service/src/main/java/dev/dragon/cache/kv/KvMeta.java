package dev.dragon.cache.kv;

/**
 * The header of a stored KV state (its Redis HASH).
 *
 * @param tokens  prompt tokens the state covers
 * @param chunks  number of chunks
 * @param bytes   encoded size (sum of the chunk sizes)
 * @param writeId the write that produced the chunks (chunks of an older or unfinished write are never read)
 */
public record KvMeta(int tokens, int chunks, long bytes, String writeId) {
}
