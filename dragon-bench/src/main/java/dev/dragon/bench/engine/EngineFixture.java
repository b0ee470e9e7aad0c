package dev.dragon.bench.engine;

import dev.dragon.core.engine.Completion;
import dev.dragon.core.engine.EngineException;
import dev.dragon.core.engine.EngineObserver;
import dev.dragon.core.engine.EngineOptions;
import dev.dragon.core.engine.GeneratedToken;
import dev.dragon.core.engine.GenerationHandle;
import dev.dragon.core.engine.GenerationRequest;
import dev.dragon.core.engine.LocalEngine;
import dev.dragon.core.engine.TokenSink;
import dev.dragon.core.runtime.RuntimeOptions;
import dev.dragon.core.sampling.SamplingParams;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/** A LocalEngine over the shipped bundle plus helpers to run fixed, seeded workloads on it. */
final class EngineFixture implements AutoCloseable {

    final LocalEngine engine;
    final AtomicLong decodeNanos = new AtomicLong();
    final AtomicLong decodeTokens = new AtomicLong();

    EngineFixture(Path bundle, int maxBatch, int threads) {
        EngineObserver stepTimer = new EngineObserver() {
            @Override
            public void onStep(boolean prefill, int batch, int tokens, long nanos) {
                if (!prefill) {
                    decodeNanos.addAndGet(nanos);
                    decodeTokens.addAndGet(tokens);
                }
            }
        };
        this.engine = LocalEngine.open(bundle, new EngineOptions(maxBatch, 1024, 512),
                new RuntimeOptions(threads, true), null, stepTimer);
    }

    /** Prompt {@code i} of a fixed set of short completion prompts. */
    int[] prompt(int i) {
        String[] starts = {"Once upon a time", "The meaning of life is", "A programmer", "When the",
                "It was a dark", "Q: What is the difference between", "I think", "The sea"};
        return engine.model().tokenizer().chatTemplate().completionPrompt(starts[i % starts.length]);
    }

    /** Runs {@code n} generations of exactly {@code maxTokens} tokens concurrently; returns tokens made. */
    long generate(List<int[]> prompts, int maxTokens, long seed) {
        List<CompletableFuture<Completion>> done = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            SamplingParams p = SamplingParams.builder().temperature(0.8).topP(0.95).seed(seed + i)
                    .maxTokens(maxTokens).build();
            GenerationHandle h = engine.submit(new GenerationRequest("bench-" + i, prompts.get(i), new int[0], p,
                    false, Discard.INSTANCE));
            done.add(h.completion());
        }
        long tokens = 0;
        for (CompletableFuture<Completion> f : done) {
            tokens += f.join().completionTokens();
        }
        return tokens;
    }

    @Override
    public void close() {
        engine.close();
    }

    enum Discard implements TokenSink {
        INSTANCE;

        @Override
        public void onToken(GeneratedToken token) {
        }

        @Override
        public void onFinish(Completion completion) {
        }

        @Override
        public void onError(EngineException error) {
        }
    }
}
