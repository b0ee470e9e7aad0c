package dev.dragon.router.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dragon.core.tensor.TensorCodec;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Where a request captures KV states: the longest cacheable prefix and earlier boundaries on one grid. */
class KvStatePointsTest {

    private final ClientFixture clients = new ClientFixture();

    @AfterEach
    void close() throws Exception {
        clients.close();
    }

    /** 32-token blocks, a grid of {@code everyBlocks}, at most {@code maxPoints} points. */
    private KvStateCacheClient client(boolean enabled, int everyBlocks, int maxPoints) {
        CacheClientProperties s = ClientFixture.settings("127.0.0.1:1", Duration.ofMillis(50));
        CacheClientProperties settings = new CacheClientProperties(enabled, s.target(), s.timeout(), s.kvTimeout(), 32,
                TensorCodec.Precision.FP16, s.chunkBytes(), new CacheClientProperties.Capture(everyBlocks, maxPoints),
                s.breaker(), s.near(), s.logInterval());
        return clients.states(settings, new PromptPrefixHasher("m@1", "topk-2", 32));
    }

    @Test
    void aLongPrompt_capturesItsLongestPrefix_andEarlierBoundariesOnACoarsenedGrid() {
        KvStateCacheClient c = client(true, 4, 4);

        // 1,050 tokens: longest 1,024; multiples of 128 below it are 7 > 3, of 256 are 3
        assertThat(c.capturePoints(1050, 0)).containsExactly(256, 512, 768, 1024);
        // a shorter prompt keeps the finest grid
        assertThat(c.capturePoints(300, 0)).containsExactly(128, 256, 288);
        assertThat(c.capturePoint(1050)).isEqualTo(1024);
    }

    @Test
    void onlyPointsBeyondTheRestoredPrefix_areCaptured_onTheSameGrid() {
        KvStateCacheClient c = client(true, 4, 4);

        assertThat(c.capturePoints(1050, 768)).containsExactly(896, 1024);
        assertThat(c.capturePoints(1050, 512)).containsExactly(640, 768, 896, 1024);
        assertThat(c.capturePoints(1050, 1024)).isEmpty();
    }

    @Test
    void onePoint_isTheLongestPrefix_andTooShortOrDisabled_isNone() {
        assertThat(client(true, 4, 1).capturePoints(1050, 0)).containsExactly(1024);
        assertThat(client(true, 1, 8).capturePoints(100, 0)).containsExactly(32, 64, 96);
        assertThat(client(true, 4, 4).capturePoints(32, 0)).isEmpty();
        assertThat(client(false, 4, 4).capturePoints(1050, 0)).isEmpty();
    }

    @Test
    void captureSettings_outOfRange_nameTheProperty() {
        assertThatThrownBy(() -> new CacheClientProperties.Capture(0, 4))
                .hasMessageStartingWith("dragon.router.cache.capture.every-blocks");
        assertThatThrownBy(() -> new CacheClientProperties.Capture(4, 0))
                .hasMessageStartingWith("dragon.router.cache.capture.max-points");
    }
}
