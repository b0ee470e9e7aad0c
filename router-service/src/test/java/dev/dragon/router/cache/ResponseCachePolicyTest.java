package dev.dragon.router.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.core.sampling.SamplingParams;
import org.junit.jupiter.api.Test;

class ResponseCachePolicyTest {

    @Test
    void deterministicRequests_areEligible_unlessTheyOptOut() {
        SamplingParams greedy = SamplingParams.builder().temperature(0).build();
        SamplingParams topK1 = SamplingParams.builder().temperature(0.9).topK(1).build();
        SamplingParams seeded = SamplingParams.builder().temperature(0.9).seed(3L).build();
        SamplingParams random = SamplingParams.builder().temperature(0.9).build();

        assertThat(ResponseCachePolicy.eligible(greedy, false)).isTrue();
        assertThat(ResponseCachePolicy.eligible(topK1, false)).isTrue();
        assertThat(ResponseCachePolicy.eligible(seeded, false)).isTrue();
        assertThat(ResponseCachePolicy.eligible(random, false)).as("unseeded sampling must differ between calls").isFalse();
        assertThat(ResponseCachePolicy.eligible(greedy, true)).as("opted out").isFalse();
        assertThat(ResponseCachePolicy.eligible(seeded, true)).isFalse();
    }
}
