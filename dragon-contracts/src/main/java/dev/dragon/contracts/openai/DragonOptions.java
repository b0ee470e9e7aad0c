package dev.dragon.contracts.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Dragon's opt-in request extension, the {@code dragon} object of a request. Every field is optional.
 *
 * @param returnExperts report the routed experts of every generated token ({@link DragonTokenTrace} on each
 *                      streamed chunk, {@link DragonTrace} on a whole response)
 * @param ignoreEos     keep generating past the model's end-of-text/end-of-turn tokens until {@code max_tokens}
 *                      or a {@code stop} string (fixed-length generations for benchmarks and load tests)
 * @param cache         {@code false} opts this request out of the response cache
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DragonOptions(@JsonProperty("return_experts") Boolean returnExperts,
                            @JsonProperty("ignore_eos") Boolean ignoreEos,
                            Boolean cache) {

    public boolean wantsExperts() {
        return Boolean.TRUE.equals(returnExperts);
    }

    public boolean ignoresEos() {
        return Boolean.TRUE.equals(ignoreEos);
    }

    public boolean cacheAllowed() {
        return !Boolean.FALSE.equals(cache);
    }
}
