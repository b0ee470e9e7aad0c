package dev.dragon.contracts.openai;

import java.util.List;

/**
 * The {@code dragon} extension on a streamed chunk (with {@code dragon.return_experts}): the token this
 * chunk carries and the routed experts that produced it.
 *
 * @param token   token id
 * @param experts per layer, the routed expert ids selected for the token ({@code [layers][k]})
 */
public record DragonTokenTrace(int token, List<List<Integer>> experts) {
}
