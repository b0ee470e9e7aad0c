package dev.dragon.core.sampling;

import java.util.Arrays;

/** Orders token ids by descending logit, ascending id on ties. */
final class Ranking {

    private Ranking() {
    }

    /** The {@code n} best ids in order; O(vocab · n) worst case, O(vocab) typically. */
    static int[] top(float[] logits, int offset, int vocab, int n) {
        int[] best = new int[Math.max(0, Math.min(n, vocab))];
        if (best.length == 0) {
            return best;
        }
        int size = 0;
        for (int id = 0; id < vocab; id++) {
            float x = logits[offset + id];
            if (size == best.length && !(x > logits[offset + best[size - 1]])) {
                continue; // not better than the worst kept (ties keep the lower, earlier id)
            }
            int pos = size == best.length ? size - 1 : size++;
            while (pos > 0 && x > logits[offset + best[pos - 1]]) {
                best[pos] = best[pos - 1];
                pos--;
            }
            best[pos] = id;
        }
        return best;
    }

    /** Every id in order, by sorting packed (logit, id) keys. */
    static int[] all(float[] logits, int offset, int vocab) {
        long[] keys = new long[vocab];
        for (int id = 0; id < vocab; id++) {
            int bits = Float.floatToIntBits(logits[offset + id] + 0.0f); // -0.0 ranks as 0.0
            int sortable = bits ^ ((bits >> 31) & 0x7fffffff); // int order == float order
            keys[id] = ((long) ~sortable << 32) | id;          // ascending key: descending logit, then id
        }
        Arrays.sort(keys);
        int[] ids = new int[vocab];
        for (int i = 0; i < vocab; i++) {
            ids[i] = (int) keys[i];
        }
        return ids;
    }
}
