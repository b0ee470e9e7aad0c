package dev.dragon.core.kv;

/**
 * One sequence's sliding-window state: for every layer the ring of keys and values
 * ({@code [H, W, Dh]} each) and the absolute position held by each ring entry ({@code -1} = empty).
 *
 * @param positions [W]
 * @param keys      [layers][H * W * Dh]
 * @param values    [layers][H * W * Dh]
 */
public record KvState(int heads, int window, int headDim, long[] positions, float[][] keys, float[][] values) {

    public KvState {
        if (positions.length != window || keys.length != values.length) {
            throw new IllegalArgumentException("inconsistent KV state");
        }
        for (int l = 0; l < keys.length; l++) {
            if (keys[l].length != heads * window * headDim || values[l].length != keys[l].length) {
                throw new IllegalArgumentException("layer " + l + " of the KV state has the wrong size");
            }
        }
    }

    public int layers() {
        return keys.length;
    }

    /** The next position this state continues from (one past the newest held position, 0 when empty). */
    public long nextPosition() {
        long max = -1;
        for (long p : positions) {
            max = Math.max(max, p);
        }
        return max + 1;
    }

    String describe() {
        return "[layers=" + layers() + ", H=" + heads + ", W=" + window + ", Dh=" + headDim + "]";
    }
}
