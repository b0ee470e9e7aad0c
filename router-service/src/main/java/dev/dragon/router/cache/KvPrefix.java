package dev.dragon.router.cache;

import dev.dragon.core.kv.KvState;

/**
 * A restored prompt prefix: the engine's {@code PrefixCache.restoreOnly(state, tokens)} continues from it.
 *
 * @param state  the sliding-window state after the prefix
 * @param tokens prompt tokens it covers (a multiple of the block size, less than the prompt's length)
 */
public record KvPrefix(KvState state, int tokens) {
}
