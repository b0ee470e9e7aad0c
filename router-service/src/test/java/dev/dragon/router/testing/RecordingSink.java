package dev.dragon.router.testing;

import dev.dragon.core.engine.Completion;
import dev.dragon.core.engine.EngineException;
import dev.dragon.core.engine.GeneratedToken;
import dev.dragon.core.engine.TokenSink;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** Records one generation of the engine for assertions. */
public final class RecordingSink implements TokenSink {

    public final List<GeneratedToken> tokens = new CopyOnWriteArrayList<>();
    public final CompletableFuture<Completion> done = new CompletableFuture<>();

    @Override
    public void onToken(GeneratedToken token) {
        tokens.add(token);
    }

    @Override
    public void onFinish(Completion completion) {
        done.complete(completion);
    }

    @Override
    public void onError(EngineException error) {
        done.completeExceptionally(error);
    }

    /** Waits for the end; rethrows the engine's error. */
    public Completion await() throws Exception {
        return done.get(180, TimeUnit.SECONDS);
    }

    public int[] ids() {
        return tokens.stream().mapToInt(GeneratedToken::token).toArray();
    }
}
