package dev.dragon.router.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.core.engine.PrefixCache;
import dev.dragon.core.kv.KvState;
import dev.dragon.router.cache.KvPrefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** What the engine is asked to restore and capture, from a KV-state lookup and the prompt's capture points. */
class CachedGenerationsTest {

    private final List<KvState> stored = new ArrayList<>();
    private final Consumer<KvState> store = stored::add;

    /** A one-layer state whose newest position is {@code tokens - 1}. */
    private static KvState stateAfter(int tokens) {
        long[] positions = new long[4];
        for (int i = 0; i < 4; i++) {
            positions[i] = tokens - 4 + i;
        }
        return new KvState(1, 4, 2, positions, new float[][] {new float[8]}, new float[][] {new float[8]});
    }

    @Test
    void nothingStored_andTooShortToCapture_touchesNothing() {
        assertThat(CachedGenerations.prefixCache(Optional.empty(), new int[0], store)).isNull();
    }

    @Test
    void nothingStored_capturesAtEveryPoint() {
        PrefixCache p = CachedGenerations.prefixCache(Optional.empty(), new int[] {32, 64}, store);
        assertThat(p.restore()).isNull();
        assertThat(p.restoredTokens()).isZero();
        assertThat(p.capturePoints()).containsExactly(32, 64);
        p.onCapture().accept(stateAfter(32));
        p.onCapture().accept(stateAfter(64));
        assertThat(stored).hasSize(2);
    }

    @Test
    void theLongestPrefixAlreadyStored_isRestored_andNotCapturedAgain() {
        KvState state = stateAfter(64);
        PrefixCache p = CachedGenerations.prefixCache(Optional.of(new KvPrefix(state, 64)), new int[] {32, 64}, store);
        assertThat(p.restore()).isSameAs(state);
        assertThat(p.restoredTokens()).isEqualTo(64);
        assertThat(p.capturePoints()).isEmpty();
        assertThat(p.onCapture()).isNull();
    }

    @Test
    void aShorterStoredPrefix_isRestored_andOnlyThePointsBeyondItCaptured() {
        PrefixCache p = CachedGenerations.prefixCache(Optional.of(new KvPrefix(stateAfter(32), 32)),
                new int[] {32, 64, 96}, store);
        assertThat(p.restoredTokens()).isEqualTo(32);
        assertThat(p.capturePoints()).containsExactly(64, 96);
    }
}
