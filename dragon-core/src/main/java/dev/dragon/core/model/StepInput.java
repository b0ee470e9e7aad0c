package dev.dragon.core.model;

/**
 * New tokens for a run of sequences whose KV rings are consecutive slots.
 *
 * @param firstSlot    first KV slot; row {@code b} uses slot {@code firstSlot + b}
 * @param batch        B, sequences
 * @param tokens       T, new tokens per sequence (≤ window)
 * @param ids          {@code [B, T]} token ids
 * @param positions    {@code [B, T]} absolute positions
 * @param allPositions keep the hidden state of every position (else only each row's last)
 */
public record StepInput(int firstSlot, int batch, int tokens, long[] ids, long[] positions, boolean allPositions) {

    public StepInput {
        if (batch < 1 || tokens < 1 || ids.length != batch * tokens || positions.length != ids.length) {
            throw new IllegalArgumentException("step input must hold batch × tokens ids and positions");
        }
    }

    /** One sequence's chunk of {@code ids} at consecutive positions from {@code start}. */
    public static StepInput chunk(int slot, int[] ids, int from, int to, long start, boolean allPositions) {
        int t = to - from;
        long[] tok = new long[t];
        long[] pos = new long[t];
        for (int i = 0; i < t; i++) {
            tok[i] = ids[from + i];
            pos[i] = start + i;
        }
        return new StepInput(slot, 1, t, tok, pos, allPositions);
    }
}
