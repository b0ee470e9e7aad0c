package dev.dragon.contracts.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code stream_options} (only with {@code stream: true}).
 *
 * @param includeUsage send one more chunk with {@code choices: []} and the {@link Usage} before {@code [DONE]}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StreamOptions(@JsonProperty("include_usage") Boolean includeUsage) {
}
