package dev.dragon.contracts.openai;

import java.util.List;

/**
 * The {@code dragon} extension on a whole (non-streamed) response (with {@code dragon.return_experts}).
 *
 * @param tokens  generated token ids, in order (stop tokens are not included)
 * @param experts per token, per layer, the routed expert ids ({@code [tokens][layers][k]})
 */
public record DragonTrace(List<Integer> tokens, List<List<List<Integer>>> experts) {
}
