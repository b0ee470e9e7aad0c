package dev.dragon.gateway.error;

import org.springframework.http.HttpStatus;

/** A refused admin API call (401 without the admin credential, 404 for an unknown key or tenant, 400). */
public final class AdminRequestException extends GatewayException {

    private static final long serialVersionUID = 1L;

    public AdminRequestException(HttpStatus status, String code, String param, String message) {
        super(status, "invalid_request_error", code, param, message, null);
    }
}
