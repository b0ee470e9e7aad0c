package dev.dragon.cache.kv;

import dev.dragon.cache.keys.KvKey;
import java.util.List;

/**
 * The longest stored prefix among those asked about, with its committed header and every chunk: what one
 * RestoreLongestPrefix streams.
 *
 * @param index  its position in the request's list of prefix hashes
 * @param key    its key (the namespace asked about, with its hash)
 * @param meta   its committed header
 * @param chunks its chunks, in order ({@code meta.chunks()} of them, {@code meta.bytes()} in all)
 */
public record RestoredState(int index, KvKey key, KvMeta meta, List<byte[]> chunks) {
}
