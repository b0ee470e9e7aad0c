package dev.dragon.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

class RateLimitHeadersTest {

    @Test
    void durations_lookLikeOpenAis() {
        assertThat(RateLimitHeaders.duration(0)).isEqualTo("0s");
        assertThat(RateLimitHeaders.duration(0.25)).isEqualTo("0.25s");
        assertThat(RateLimitHeaders.duration(1)).isEqualTo("1s");
        assertThat(RateLimitHeaders.duration(59.5)).isEqualTo("59.5s");
        assertThat(RateLimitHeaders.duration(60)).isEqualTo("1m0s");
        assertThat(RateLimitHeaders.duration(150.5)).isEqualTo("2m30.5s");
        assertThat(RateLimitHeaders.duration(1.0004)).isEqualTo("1.001s");
    }

    @Test
    void knownQuota_writesLimitRemainingAndReset() {
        HttpHeaders headers = new HttpHeaders();
        RateLimitHeaders.write(headers, RateLimitHeaders.TOKENS, new Quota(true, 1000, 250, 45, 0));
        assertThat(headers.getFirst("x-ratelimit-limit-tokens")).isEqualTo("1000");
        assertThat(headers.getFirst("x-ratelimit-remaining-tokens")).isEqualTo("250");
        assertThat(headers.getFirst("x-ratelimit-reset-tokens")).isEqualTo("45s");
    }

    @Test
    void unknownQuota_writesOnlyTheLimit() {
        HttpHeaders headers = new HttpHeaders();
        RateLimitHeaders.write(headers, RateLimitHeaders.REQUESTS, Quota.unknown(60));
        assertThat(headers.getFirst("x-ratelimit-limit-requests")).isEqualTo("60");
        assertThat(headers.containsHeader("x-ratelimit-remaining-requests")).isFalse();
        assertThat(headers.containsHeader("x-ratelimit-reset-requests")).isFalse();
    }
}
