package dev.dragon.gateway.error;

import org.springframework.http.HttpStatus;

/** 413: the body is larger than {@code dragon.gateway.limits.max-body-size}. */
public final class PayloadTooLargeException extends GatewayException {

    private static final long serialVersionUID = 1L;

    public PayloadTooLargeException(long limitBytes) {
        super(HttpStatus.PAYLOAD_TOO_LARGE, "invalid_request_error", "request_too_large", null,
                "Request body too large: the limit is " + limitBytes + " bytes.", null);
    }
}
