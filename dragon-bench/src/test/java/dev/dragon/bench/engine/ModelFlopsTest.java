package dev.dragon.bench.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.dragon.core.bundle.Architecture;
import dev.dragon.core.bundle.Gating;
import org.junit.jupiter.api.Test;

class ModelFlopsTest {

    @Test
    void perToken_countsEveryMatmulOfOneDecodeStep() {
        // d=4, 1 layer, 1 head of 4, window 2, 2 routed experts (k=1, hidden 3), 1 shared (hidden 5), P=6, V=10
        Architecture a = new Architecture(10, 4, 1, 1, 4, 2, 10000, 1e-5, 1 << 20, 2, 1, 1, 3, 5, 6,
                new Gating("sigmoid", "topk(s+bias)", true));
        double expected = 4 * 2 * 16          // q k v o projections
                + 2 * 2 * 1 * 2 * 4           // scores and weighted values over the window
                + 2 * 4 * 2                   // gate
                + 3 * 2 * 4 * 5               // shared SwiGLU
                + 1 * 3 * 2 * 4 * 3           // one routed SwiGLU
                + 2 * 2 * 4 * 6               // PC layer
                + 2 * 4 * 10;                 // LM head
        assertThat(ModelFlops.perToken(a)).isCloseTo(expected, within(1e-9));
    }
}
