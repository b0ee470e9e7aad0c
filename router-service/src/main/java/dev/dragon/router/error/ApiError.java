package dev.dragon.router.error;

import dev.dragon.contracts.openai.ErrorResponse;

/**
 * How a failure is answered.
 *
 * @param status            HTTP status
 * @param body              OpenAI error body
 * @param retryAfterSeconds {@code Retry-After} header value, or null for none
 */
public record ApiError(int status, ErrorResponse body, Integer retryAfterSeconds) {
}
