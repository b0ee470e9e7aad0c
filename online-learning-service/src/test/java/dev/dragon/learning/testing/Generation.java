package dev.dragon.learning.testing;

import dev.dragon.core.engine.Completion;
import dev.dragon.core.engine.EngineException;
import dev.dragon.core.engine.GeneratedToken;
import dev.dragon.core.engine.GenerationRequest;
import dev.dragon.core.engine.LocalEngine;
import dev.dragon.core.engine.TokenSink;
import dev.dragon.core.sampling.SamplingParams;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Greedy generations through a {@link LocalEngine}, with their text. */
public final class Generation {

    /** A finished generation and the text it streamed. */
    public record Result(Completion completion, String text) {
    }

    private Generation() {
    }

    public static Result greedy(LocalEngine engine, int[] prompt, int maxTokens) throws Exception {
        StringBuilder text = new StringBuilder();
        Completion c = engine.submit(new GenerationRequest("gen-" + UUID.randomUUID(), prompt,
                engine.model().tokenizer().chatTemplate().chatStopIds(),
                SamplingParams.builder().temperature(0).maxTokens(maxTokens).build(), false, new TokenSink() {
                    @Override
                    public void onToken(GeneratedToken token) {
                        text.append(token.text());
                    }

                    @Override
                    public void onFinish(Completion completion) {
                        text.append(completion.tailText());
                    }

                    @Override
                    public void onError(EngineException error) {
                    }
                })).completion().get(5, TimeUnit.MINUTES);
        return new Result(c, text.toString());
    }
}
