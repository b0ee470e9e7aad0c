package dev.dragon.router.api;

import dev.dragon.contracts.openai.ChatCompletion;
import dev.dragon.contracts.openai.ChatCompletionChunk;
import dev.dragon.contracts.openai.ChatCompletionChunk.Delta;
import dev.dragon.contracts.openai.ChatLogprobs;
import dev.dragon.contracts.openai.ChatMessage;
import dev.dragon.contracts.openai.DragonTokenTrace;
import dev.dragon.contracts.openai.TokenLogprobEntry;
import dev.dragon.contracts.openai.TopLogprob;
import dev.dragon.contracts.openai.Usage;
import dev.dragon.core.engine.Completion;
import dev.dragon.core.engine.GeneratedToken;
import java.util.List;

/** {@code /v1/chat/completions}: {@code chat.completion} and {@code chat.completion.chunk} objects. */
final class ChatAssembly extends ResponseAssembly {

    private static final String ASSISTANT = "assistant";

    ChatAssembly(ResponseMeta meta, TokenText tokenText, boolean logprobs, boolean experts) {
        super(meta, tokenText, logprobs, experts);
    }

    @Override
    List<Object> opening() {
        return List.of(chunk(new Delta(ASSISTANT, ""), null, null, null));
    }

    @Override
    Object tokenChunk(GeneratedToken token, int textOffset) {
        return chunk(new Delta(null, token.text()), logprobs ? new ChatLogprobs(List.of(entry(token))) : null, null,
                trace(token));
    }

    @Override
    Object textChunk(String text) {
        return chunk(new Delta(null, text), null, null, null);
    }

    @Override
    Object finishChunk(String finishReason) {
        return chunk(new Delta(null, null), null, finishReason, null);
    }

    @Override
    Object usageChunk(Usage usage) {
        return new ChatCompletionChunk(meta.id(), ChatCompletionChunk.OBJECT, meta.created(), meta.model(),
                meta.fingerprint(), List.of(), usage, null);
    }

    @Override
    Object whole(Completion completion, String text, List<GeneratedToken> tokens) {
        ChatLogprobs lp = logprobs ? new ChatLogprobs(tokens.stream().map(this::entry).toList()) : null;
        return new ChatCompletion(meta.id(), ChatCompletion.OBJECT, meta.created(), meta.model(), meta.fingerprint(),
                List.of(new ChatCompletion.Choice(0, ChatMessage.of(ASSISTANT, text), lp,
                        completion.reason().openAiName())),
                usage(completion), trace(tokens));
    }

    private ChatCompletionChunk chunk(Delta delta, ChatLogprobs lp, String finishReason, DragonTokenTrace trace) {
        return new ChatCompletionChunk(meta.id(), ChatCompletionChunk.OBJECT, meta.created(), meta.model(),
                meta.fingerprint(), List.of(new ChatCompletionChunk.Choice(0, delta, lp, finishReason)), null, trace);
    }

    private TokenLogprobEntry entry(GeneratedToken t) {
        List<TopLogprob> top = t.topLogprobs().stream()
                .map(a -> new TopLogprob(tokenText.text(a.token()), a.logprob(), tokenText.bytes(a.token())))
                .toList();
        return new TokenLogprobEntry(tokenText.text(t.token()), t.logprob(), tokenText.bytes(t.token()), top);
    }
}
