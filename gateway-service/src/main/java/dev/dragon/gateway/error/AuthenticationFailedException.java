package dev.dragon.gateway.error;

import org.springframework.http.HttpStatus;

/** 401: no key, a key nobody issued, or a revoked key. */
public final class AuthenticationFailedException extends GatewayException {

    private static final long serialVersionUID = 1L;

    /** Why; the lower-case name is the {@code reason} label of {@code dragon_gateway_auth_failures_total}. */
    public enum Reason {
        MISSING("missing_api_key", "You didn't provide an API key. You need to provide your API key in an "
                + "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."),
        UNKNOWN("invalid_api_key", "Incorrect API key provided."),
        MALFORMED("invalid_api_key", "Incorrect API key provided."),
        REVOKED("invalid_api_key", "The API key provided has been revoked.");

        private final String code;
        private final String message;

        Reason(String code, String message) {
            this.code = code;
            this.message = message;
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Reason reason;

    public AuthenticationFailedException(Reason reason) {
        super(HttpStatus.UNAUTHORIZED, "invalid_request_error", reason.code, null, reason.message, null);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
