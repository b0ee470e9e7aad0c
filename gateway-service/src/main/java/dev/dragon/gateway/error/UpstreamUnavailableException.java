package dev.dragon.gateway.error;

import org.springframework.http.HttpStatus;

/** 503: something the gateway needs (router-service, the key store) cannot be reached now. */
public final class UpstreamUnavailableException extends GatewayException {

    private static final long serialVersionUID = 1L;

    public UpstreamUnavailableException(String message, String code, Throwable cause) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "server_error", code, null, message, cause);
    }
}
