package dev.dragon.core.tokenizer;

/** Immutable open-addressing map from a token pair (left, right) to its merge rank, without boxing. */
final class PairRanks {

    static final int NONE = Integer.MAX_VALUE;

    private final long[] keys;
    private final int[] ranks;
    private final int mask;

    /** {@code pairs[i] = {left, right}} is merge rank {@code i}. */
    PairRanks(int[][] pairs) {
        int capacity = Integer.highestOneBit(Math.max(4, pairs.length * 2 + 1)) << 1;
        keys = new long[capacity];
        ranks = new int[capacity];
        mask = capacity - 1;
        java.util.Arrays.fill(ranks, NONE);
        for (int rank = 0; rank < pairs.length; rank++) {
            long key = key(pairs[rank][0], pairs[rank][1]);
            int slot = slot(key);
            while (ranks[slot] != NONE && keys[slot] != key) {
                slot = (slot + 1) & mask;
            }
            if (ranks[slot] == NONE) { // the first (lowest-rank) merge of a duplicated pair wins
                keys[slot] = key;
                ranks[slot] = rank;
            }
        }
    }

    /** Merge rank of ({@code left}, {@code right}), or {@link #NONE}. */
    int rank(int left, int right) {
        long key = key(left, right);
        for (int slot = slot(key); ranks[slot] != NONE; slot = (slot + 1) & mask) {
            if (keys[slot] == key) {
                return ranks[slot];
            }
        }
        return NONE;
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xffffffffL);
    }
}
