package dev.dragon.gateway.error;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/** 415: a request body declared as something other than JSON (e.g. a cross-origin "simple" text/plain POST). */
public final class UnsupportedMediaTypeException extends GatewayException {

    private static final long serialVersionUID = 1L;

    public UnsupportedMediaTypeException(MediaType sent) {
        super(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "invalid_request_error", "unsupported_media_type", null,
                "Unsupported Content-Type '" + sent + "': send the request body as application/json.", null);
    }
}
