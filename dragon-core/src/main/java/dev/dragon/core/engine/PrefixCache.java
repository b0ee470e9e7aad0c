package dev.dragon.core.engine;

import dev.dragon.core.kv.KvState;
import java.util.function.Consumer;

/**
 * Prompt-prefix reuse for one request (the KV-state cache): restore a stored sliding-window state so
 * only the rest of the prompt is prefilled, and/or capture the state once a prefix has been prefilled.
 *
 * @param restore        state to start from, or null
 * @param restoredTokens prompt tokens {@code restore} covers; at least one prompt token must remain to
 *                       prefill (its logits start the generation)
 * @param captureAt      prompt length after which to capture the state (0 = no capture)
 * @param onCapture      receives the captured state, on the engine thread: hand it off, never block
 */
public record PrefixCache(KvState restore, int restoredTokens, int captureAt, Consumer<KvState> onCapture) {

    public PrefixCache {
        if (restore == null && restoredTokens != 0) {
            throw new IllegalArgumentException("restoredTokens without a state to restore");
        }
        if (restore != null && restore.nextPosition() != restoredTokens) {
            throw new IllegalArgumentException("the state continues at position " + restore.nextPosition()
                    + ", not at " + restoredTokens);
        }
        if (captureAt < 0 || (captureAt > 0 && onCapture == null)) {
            throw new IllegalArgumentException("captureAt needs a consumer");
        }
    }

    public static PrefixCache restoreOnly(KvState state, int tokens) {
        return new PrefixCache(state, tokens, 0, null);
    }

    public static PrefixCache captureOnly(int captureAt, Consumer<KvState> onCapture) {
        return new PrefixCache(null, 0, captureAt, onCapture);
    }
}
