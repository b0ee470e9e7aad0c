package dev.dragon.router.api;

import dev.dragon.contracts.openai.Completion.Choice;
import dev.dragon.contracts.openai.CompletionChunk;
import dev.dragon.contracts.openai.CompletionLogprobs;
import dev.dragon.contracts.openai.DragonTokenTrace;
import dev.dragon.contracts.openai.Usage;
import dev.dragon.core.engine.Completion;
import dev.dragon.core.engine.GeneratedToken;
import dev.dragon.core.sampling.TokenLogprob;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /v1/completions}: {@code text_completion} objects, whole or as stream chunks. */
final class CompletionAssembly extends ResponseAssembly {

    CompletionAssembly(ResponseMeta meta, TokenText tokenText, boolean logprobs, boolean experts) {
        super(meta, tokenText, logprobs, experts);
    }

    @Override
    List<Object> opening() {
        return List.of();
    }

    @Override
    Object tokenChunk(GeneratedToken token, int textOffset) {
        return chunk(token.text(), logprobs ? logprobs(List.of(token), List.of(textOffset)) : null, null, trace(token));
    }

    @Override
    Object textChunk(String text) {
        return chunk(text, null, null, null);
    }

    @Override
    Object finishChunk(String finishReason) {
        return chunk("", null, finishReason, null);
    }

    @Override
    Object usageChunk(Usage usage) {
        return new CompletionChunk(meta.id(), CompletionChunk.OBJECT, meta.created(), meta.model(), meta.fingerprint(),
                List.of(), usage, null);
    }

    @Override
    Object whole(Completion completion, String text, List<GeneratedToken> tokens) {
        CompletionLogprobs lp = null;
        if (logprobs) {
            List<Integer> offsets = new ArrayList<>();
            int offset = 0;
            for (GeneratedToken t : tokens) {
                offsets.add(offset);
                offset += t.text().length();
            }
            lp = logprobs(tokens, offsets);
        }
        return new dev.dragon.contracts.openai.Completion(meta.id(), dev.dragon.contracts.openai.Completion.OBJECT,
                meta.created(), meta.model(), meta.fingerprint(),
                List.of(new Choice(text, 0, lp, completion.reason().openAiName())), usage(completion), trace(tokens));
    }

    private CompletionChunk chunk(String text, CompletionLogprobs lp, String finishReason, DragonTokenTrace trace) {
        return new CompletionChunk(meta.id(), CompletionChunk.OBJECT, meta.created(), meta.model(), meta.fingerprint(),
                List.of(new Choice(text, 0, lp, finishReason)), null, trace);
    }

    private CompletionLogprobs logprobs(List<GeneratedToken> tokens, List<Integer> offsets) {
        List<String> texts = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        List<Map<String, Double>> tops = new ArrayList<>();
        for (GeneratedToken t : tokens) {
            texts.add(tokenText.text(t.token()));
            values.add((double) t.logprob());
            Map<String, Double> top = new LinkedHashMap<>();
            for (TokenLogprob a : t.topLogprobs()) {
                top.putIfAbsent(tokenText.text(a.token()), (double) a.logprob());
            }
            tops.add(top);
        }
        return new CompletionLogprobs(texts, values, tops, List.copyOf(offsets));
    }
}
