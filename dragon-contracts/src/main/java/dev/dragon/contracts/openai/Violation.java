package dev.dragon.contracts.openai;

/**
 * What is wrong with a request, in OpenAI's terms.
 *
 * @param param   the field at fault in the API's spelling ({@code messages[1].role}, {@code top_p}), or null
 * @param message for a person: what was expected and what was sent
 * @param code    machine-readable code ({@code invalid_type}, {@code integer_above_max_value}, ...), or null
 */
public record Violation(String param, String message, String code) {

    public static final String TYPE = "invalid_request_error";

    /** The 400 body for this violation. */
    public ErrorResponse toErrorResponse() {
        return ErrorResponse.of(message, TYPE, param, code);
    }
}
