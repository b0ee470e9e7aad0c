package dev.dragon.router.api;

import dev.dragon.contracts.openai.DragonTokenTrace;
import dev.dragon.contracts.openai.DragonTrace;
import dev.dragon.contracts.openai.Usage;
import dev.dragon.core.engine.Completion;
import dev.dragon.core.engine.GeneratedToken;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds the response objects of one request from its engine events, in the wire shape of one endpoint:
 * stream chunks as tokens arrive, or the whole response at the end. Stateful (text so far, tokens so far):
 * one instance per request, fed in event order.
 */
abstract class ResponseAssembly {

    protected final ResponseMeta meta;
    protected final TokenText tokenText;
    protected final boolean logprobs;
    protected final boolean experts;
    private final List<GeneratedToken> generated = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();

    ResponseAssembly(ResponseMeta meta, TokenText tokenText, boolean logprobs, boolean experts) {
        this.meta = meta;
        this.tokenText = tokenText;
        this.logprobs = logprobs;
        this.experts = experts;
    }

    ResponseMeta meta() {
        return meta;
    }

    /** Chunks that open a stream, before any token (the chat role chunk). */
    abstract List<Object> opening();

    /**
     * Records a token and returns its chunk, or null when there is nothing to send: no text released yet and
     * neither logprobs nor experts asked for.
     */
    final Object onToken(GeneratedToken token) {
        int offset = text.length();
        generated.add(token);
        text.append(token.text());
        return token.text().isEmpty() && !logprobs && !experts ? null : tokenChunk(token, offset);
    }

    /** The chunks that end a stream: held-back tail text, the finish reason, then the usage when asked for. */
    final List<Object> onFinished(Completion completion, boolean includeUsage) {
        List<Object> out = new ArrayList<>();
        if (!completion.tailText().isEmpty()) {
            text.append(completion.tailText());
            out.add(textChunk(completion.tailText()));
        }
        out.add(finishChunk(completion.reason().openAiName()));
        if (includeUsage) {
            out.add(usageChunk(usage(completion)));
        }
        return out;
    }

    /** The whole response, after every token went through {@link #onToken}. */
    final Object whole(Completion completion) {
        text.append(completion.tailText());
        return whole(completion, text.toString(), List.copyOf(generated));
    }

    abstract Object tokenChunk(GeneratedToken token, int textOffset);

    abstract Object textChunk(String text);

    abstract Object finishChunk(String finishReason);

    abstract Object usageChunk(Usage usage);

    abstract Object whole(Completion completion, String text, List<GeneratedToken> tokens);

    /** The {@code dragon} extension of a chunk, when experts were asked for. */
    protected DragonTokenTrace trace(GeneratedToken token) {
        return experts && token.experts() != null ? new DragonTokenTrace(token.token(), lists(token.experts())) : null;
    }

    /** The {@code dragon} extension of a whole response, when experts were asked for. */
    protected DragonTrace trace(List<GeneratedToken> tokens) {
        if (!experts) {
            return null;
        }
        return new DragonTrace(tokens.stream().map(GeneratedToken::token).toList(),
                tokens.stream().map(t -> t.experts() == null ? List.<List<Integer>>of() : lists(t.experts())).toList());
    }

    protected static Usage usage(Completion completion) {
        return Usage.of(completion.promptTokens(), completion.completionTokens(), completion.cachedTokens());
    }

    private static List<List<Integer>> lists(int[][] perLayer) {
        return Arrays.stream(perLayer).map(e -> Arrays.stream(e).boxed().toList()).toList();
    }
}
