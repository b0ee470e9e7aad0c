package dev.dragon.core.engine;

import dev.dragon.core.kv.KvArena;
import java.util.TreeSet;

/**
 * Assigns KV slots so that decoding sequences always occupy slots {@code [0, decodeCount)}: the
 * decode step hands that run of slots to the attention graph as one batch, without copying.
 * Prefilling sequences live in any other slot and move into the decode run when their prompt is in.
 */
final class Slots {

    private final KvArena kv;
    private final Sequence[] bySlot;
    private final TreeSet<Integer> free = new TreeSet<>();
    private int decodeCount;

    Slots(KvArena kv) {
        this.kv = kv;
        this.bySlot = new Sequence[kv.slots()];
        for (int s = 0; s < bySlot.length; s++) {
            free.add(s);
        }
    }

    boolean hasFree() {
        return !free.isEmpty();
    }

    int decodeCount() {
        return decodeCount;
    }

    int occupied() {
        return bySlot.length - free.size();
    }

    Sequence decoding(int i) {
        return bySlot[i];
    }

    /** Gives {@code s} an empty slot, as high as possible to stay out of the decode run's way. */
    void acquire(Sequence s) {
        int slot = free.pollLast();
        kv.clear(slot);
        bySlot[slot] = s;
        s.slot = slot;
    }

    /** Moves a prefilled sequence to the end of the decode run. */
    void promote(Sequence s) {
        int target = decodeCount;
        if (s.slot != target) {
            Sequence occupant = bySlot[target];
            if (occupant != null) {
                kv.swap(s.slot, target);
                occupant.slot = s.slot;
                bySlot[s.slot] = occupant;
            } else {
                kv.move(s.slot, target);
                free.remove(target);
                free.add(s.slot);
                bySlot[s.slot] = null;
            }
            s.slot = target;
            bySlot[target] = s;
        }
        decodeCount++;
    }

    /** Frees {@code s}'s slot; a decoding sequence's place is filled by the last of the run. */
    void release(Sequence s) {
        if (s.slot < 0) {
            return;
        }
        int slot = s.slot;
        s.slot = -1;
        if (slot < decodeCount) {
            int last = decodeCount - 1;
            if (slot != last) {
                kv.move(last, slot);
                bySlot[slot] = bySlot[last];
                bySlot[slot].slot = slot;
            }
            bySlot[last] = null;
            free.add(last);
            decodeCount--;
        } else {
            bySlot[slot] = null;
            free.add(slot);
        }
    }
}
