package dev.dragon.core.engine;

import dev.dragon.core.kv.KvState;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Prompt-prefix reuse for one request (the KV-state cache): restore a stored sliding-window state so
 * only the rest of the prompt is prefilled, and/or capture the state each time prefill reaches one of
 * several prompt lengths. Several points (block boundaries, not just the longest prefix) let a later
 * prompt that shares only part of this one (another question after the same system prompt and a few
 * shared turns) still restore the longest of them it shares.
 *
 * @param restore        state to start from, or null
 * @param restoredTokens prompt tokens {@code restore} covers; at least one prompt token must remain to
 *                       prefill (its logits start the generation)
 * @param capturePoints  prompt lengths after which to capture the state, strictly ascending, each beyond
 *                       {@code restoredTokens} (empty = no capture)
 * @param onCapture      receives each captured state (its {@code nextPosition()} says which point), on the
 *                       engine thread: hand it off, never block
 */
public record PrefixCache(KvState restore, int restoredTokens, int[] capturePoints, Consumer<KvState> onCapture) {

    private static final int[] NONE = new int[0];

    public PrefixCache {
        if (restore == null && restoredTokens != 0) {
            throw new IllegalArgumentException("restoredTokens without a state to restore");
        }
        if (restore != null && restore.nextPosition() != restoredTokens) {
            throw new IllegalArgumentException("the state continues at position " + restore.nextPosition()
                    + ", not at " + restoredTokens);
        }
        capturePoints = capturePoints == null ? NONE : capturePoints.clone();
        for (int i = 0; i < capturePoints.length; i++) {
            int floor = i == 0 ? restoredTokens : capturePoints[i - 1];
            if (capturePoints[i] <= floor) {
                throw new IllegalArgumentException("capture points must ascend strictly beyond the restored "
                        + restoredTokens + " tokens, got " + Arrays.toString(capturePoints));
            }
        }
        if (capturePoints.length > 0 && onCapture == null) {
            throw new IllegalArgumentException("capture points need a consumer");
        }
    }

    public static PrefixCache restoreOnly(KvState state, int tokens) {
        return new PrefixCache(state, tokens, NONE, null);
    }

    public static PrefixCache captureOnly(int[] capturePoints, Consumer<KvState> onCapture) {
        return new PrefixCache(null, 0, capturePoints, onCapture);
    }

    @Override
    public int[] capturePoints() {
        return capturePoints.clone();
    }

    /** The first capture point beyond {@code prefilled} prompt tokens, or 0 when none is left. */
    public int nextCapturePoint(int prefilled) {
        for (int p : capturePoints) {
            if (p > prefilled) {
                return p;
            }
        }
        return 0;
    }

    /** The longest capture point, or 0 when there is none. */
    public int lastCapturePoint() {
        return capturePoints.length == 0 ? 0 : capturePoints[capturePoints.length - 1];
    }
}
