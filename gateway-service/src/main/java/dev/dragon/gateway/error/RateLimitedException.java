package dev.dragon.gateway.error;

import org.springframework.http.HttpStatus;

/**
 * 429 from a tenant's limits. The {@code x-ratelimit-*} headers are already on the response; this adds
 * {@code Retry-After}.
 */
public final class RateLimitedException extends GatewayException {

    private static final long serialVersionUID = 1L;

    /** Which limit; the lower-case name is the {@code kind} label of the rejection counter and the error type. */
    public enum Kind {
        REQUESTS("requests per minute"), TOKENS("tokens per minute");

        private final String unit;

        Kind(String unit) {
            this.unit = unit;
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Kind kind;
    private final String tenant;
    private final long retryAfterSeconds;

    public RateLimitedException(Kind kind, String tenant, long limit, long retryAfterSeconds) {
        super(HttpStatus.TOO_MANY_REQUESTS, kind.label(), "rate_limit_exceeded", null,
                "Rate limit reached for tenant " + tenant + " on " + kind.unit + ": limit " + limit
                        + ". Please try again in " + retryAfterSeconds + "s.", null);
        this.kind = kind;
        this.tenant = tenant;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Kind kind() {
        return kind;
    }

    public String tenant() {
        return tenant;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
