package dev.dragon.gateway.error;

import dev.dragon.contracts.openai.Violation;
import org.springframework.http.HttpStatus;

/** 400: the body is not a valid OpenAI request, or asks for more than the tenant's plan allows. */
public final class InvalidRequestException extends GatewayException {

    private static final long serialVersionUID = 1L;

    public InvalidRequestException(Violation violation) {
        super(HttpStatus.BAD_REQUEST, Violation.TYPE, violation.code(), violation.param(), violation.message(), null);
    }
}
