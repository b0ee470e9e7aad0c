package dev.dragon.contracts.openai;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The OpenAI error envelope {@code {"error": {"message", "type", "param", "code"}}}. */
public record ErrorResponse(Error error) {

    /**
     * @param message what went wrong, for a person
     * @param type    e.g. {@code invalid_request_error}, {@code rate_limit_exceeded}, {@code server_error}
     * @param param   the request field at fault (e.g. {@code messages[0].role}), or null
     * @param code    a machine-readable code (e.g. {@code model_not_found}), or null
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Error(String message, String type, String param, String code) {
    }

    public static ErrorResponse of(String message, String type, String param, String code) {
        return new ErrorResponse(new Error(message, type, param, code));
    }
}
