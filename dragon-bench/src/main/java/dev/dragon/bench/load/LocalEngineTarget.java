package dev.dragon.bench.load;

import dev.dragon.core.engine.Completion;
import dev.dragon.core.engine.EngineException;
import dev.dragon.core.engine.EngineObserver;
import dev.dragon.core.engine.EngineOptions;
import dev.dragon.core.engine.GeneratedToken;
import dev.dragon.core.engine.GenerationRequest;
import dev.dragon.core.engine.LocalEngine;
import dev.dragon.core.engine.TokenSink;
import dev.dragon.core.runtime.RuntimeOptions;
import dev.dragon.core.sampling.SamplingParams;
import dev.dragon.core.tokenizer.ChatMessage;
import dev.dragon.core.tokenizer.ChatTemplate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The in-process reference: dragon-core's LocalEngine with every expert in this JVM, no network. */
final class LocalEngineTarget implements Target {

    private final LocalEngine engine;
    private final ChatTemplate template;
    private final AtomicInteger ids = new AtomicInteger();

    LocalEngineTarget(Path bundle, int maxBatch, int threads) {
        engine = LocalEngine.open(bundle, new EngineOptions(maxBatch, 1024, 256), new RuntimeOptions(threads, false),
                null, EngineObserver.NONE);
        template = engine.model().tokenizer().chatTemplate();
    }

    @Override
    public String name() {
        return PlatformBench.LOCAL;
    }

    @Override
    public Outcome run(Workload.Request request) {
        List<ChatMessage> messages = new ArrayList<>();
        if (request.system() != null) {
            messages.add(new ChatMessage("system", request.system()));
        }
        messages.add(new ChatMessage("user", request.user()));
        long t0 = System.nanoTime();
        AtomicLong first = new AtomicLong();
        CompletableFuture<Completion> done = new CompletableFuture<>();
        TokenSink sink = new TokenSink() {
            @Override
            public void onToken(GeneratedToken token) {
                first.compareAndSet(0, System.nanoTime());
            }

            @Override
            public void onFinish(Completion completion) {
                done.complete(completion);
            }

            @Override
            public void onError(EngineException error) {
                done.completeExceptionally(error);
            }
        };
        SamplingParams greedy = SamplingParams.builder().temperature(0).maxTokens(Workload.MAX_TOKENS).build();
        engine.submit(new GenerationRequest("bench-" + ids.incrementAndGet(), template.chatPrompt(messages),
                new int[0], greedy, false, sink));    // no stop ids: EOS ignored, every request decodes 64 tokens
        try {
            Completion c = done.join();
            long end = System.nanoTime();
            return new Outcome(first.get() - t0, end - t0, c.completionTokens(), c.promptTokens(), false);
        } catch (RuntimeException e) {
            return Outcome.failure(System.nanoTime() - t0);
        }
    }

    /** Average routed experts per token over everything this engine decoded (gate statistics). */
    double expertsPerToken() {
        return engine.routingStats().averageExpertsPerToken();
    }

    @Override
    public void close() {
        engine.close();
    }
}
