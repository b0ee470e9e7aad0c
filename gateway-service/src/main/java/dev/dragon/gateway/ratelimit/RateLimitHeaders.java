package dev.dragon.gateway.ratelimit;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.springframework.http.HttpHeaders;

/**
 * OpenAI's rate-limit response headers: {@code x-ratelimit-limit-<kind>}, {@code x-ratelimit-remaining-<kind>}
 * and {@code x-ratelimit-reset-<kind>} (time until the limit is fully replenished, e.g. {@code 1s},
 * {@code 0.25s}, {@code 6m0s}) for kind {@code requests} and {@code tokens}.
 */
public final class RateLimitHeaders {

    public static final String REQUESTS = "requests";
    public static final String TOKENS = "tokens";

    private RateLimitHeaders() {
    }

    public static void write(HttpHeaders headers, String kind, Quota quota) {
        headers.set("x-ratelimit-limit-" + kind, Long.toString(quota.limit()));
        if (quota.known()) {
            headers.set("x-ratelimit-remaining-" + kind, Long.toString(quota.remaining()));
            headers.set("x-ratelimit-reset-" + kind, duration(quota.resetSeconds()));
        }
    }

    /** {@code 0s}, {@code 0.5s}, {@code 59s}, {@code 1m0s}, {@code 2m30.5s}: at most millisecond precision. */
    static String duration(double seconds) {
        BigDecimal s = BigDecimal.valueOf(Math.max(0, seconds)).setScale(3, RoundingMode.CEILING);
        long minutes = s.longValue() / 60;
        BigDecimal rest = s.subtract(BigDecimal.valueOf(minutes * 60)).stripTrailingZeros();
        String restText = rest.signum() == 0 ? "0" : rest.toPlainString();
        return minutes > 0 ? minutes + "m" + restText + "s" : restText + "s";
    }
}
