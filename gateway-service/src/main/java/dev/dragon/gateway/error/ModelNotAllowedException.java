package dev.dragon.gateway.error;

import org.springframework.http.HttpStatus;

/** 403: the tenant's plan does not include the requested model. */
public final class ModelNotAllowedException extends GatewayException {

    private static final long serialVersionUID = 1L;

    public ModelNotAllowedException(String model) {
        super(HttpStatus.FORBIDDEN, "invalid_request_error", "model_not_allowed", "model",
                "Your API key is not allowed to use the model '" + model + "'.", null);
    }
}
