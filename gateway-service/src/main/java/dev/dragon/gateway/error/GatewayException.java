package dev.dragon.gateway.error;

import org.springframework.http.HttpStatus;

/**
 * A request the gateway refuses, with what the client is told: status, OpenAI error {@code type},
 * {@code code} and {@code param}. {@link GatewayErrorHandler} turns it into the response.
 */
public abstract sealed class GatewayException extends RuntimeException
        permits AuthenticationFailedException, ModelNotAllowedException, InvalidRequestException,
        PayloadTooLargeException, UnsupportedMediaTypeException, RateLimitedException, UpstreamUnavailableException, AdminRequestException {

    private static final long serialVersionUID = 1L;

    private final HttpStatus status;
    private final String type;
    private final String code;
    private final String param;

    protected GatewayException(HttpStatus status, String type, String code, String param, String message,
                               Throwable cause) {
        super(message, cause, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
    }

    public HttpStatus status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String code() {
        return code;
    }

    public String param() {
        return param;
    }
}
