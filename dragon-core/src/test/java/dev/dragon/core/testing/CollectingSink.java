package dev.dragon.core.testing;

import dev.dragon.core.engine.Completion;
import dev.dragon.core.engine.EngineException;
import dev.dragon.core.engine.GeneratedToken;
import dev.dragon.core.engine.TokenSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Records a generation for assertions. */
public final class CollectingSink implements TokenSink {

    public final List<GeneratedToken> tokens = new CopyOnWriteArrayList<>();
    public volatile Completion completion;
    public volatile EngineException error;
    private final CountDownLatch done = new CountDownLatch(1);
    private final CountDownLatch firstToken = new CountDownLatch(1);

    @Override
    public void onToken(GeneratedToken token) {
        tokens.add(token);
        firstToken.countDown();
    }

    @Override
    public void onFinish(Completion c) {
        completion = c;
        done.countDown();
    }

    @Override
    public void onError(EngineException e) {
        error = e;
        done.countDown();
    }

    public CollectingSink await() throws InterruptedException {
        if (!done.await(120, TimeUnit.SECONDS)) {
            throw new AssertionError("generation did not finish within 120 s");
        }
        return this;
    }

    public void awaitFirstToken() throws InterruptedException {
        if (!firstToken.await(60, TimeUnit.SECONDS)) {
            throw new AssertionError("no token within 60 s");
        }
    }

    public int[] ids() {
        return tokens.stream().mapToInt(GeneratedToken::token).toArray();
    }

    public String text() {
        StringBuilder sb = new StringBuilder();
        tokens.forEach(t -> sb.append(t.text()));
        if (completion != null) {
            sb.append(completion.tailText());
        }
        return sb.toString();
    }
}
