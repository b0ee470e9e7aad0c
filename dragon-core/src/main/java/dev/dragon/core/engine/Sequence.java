package dev.dragon.core.engine;

import dev.dragon.core.adapter.PcAdapter;
import dev.dragon.core.model.StepProfile;
import dev.dragon.core.sampling.SampledToken;
import dev.dragon.core.sampling.Sampler;
import dev.dragon.core.sampling.StopMatcher;
import dev.dragon.core.tokenizer.StreamingDecoder;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/** A request's state inside the engine; everything but cancellation is touched by the engine thread only. */
final class Sequence {

    private final GenerationRequest request;
    private final Sampler sampler;
    private final StreamingDecoder decoder;
    private final StopMatcher stops;
    private final CompletableFuture<Completion> completion = new CompletableFuture<>();
    private final Runnable wake;
    private final long submittedNanos;
    private volatile boolean cancelRequested;

    int slot = -1;
    int prefilled;             // prompt tokens already in the KV ring
    long nextPosition;         // absolute position of the next token fed to the model
    int lastToken;
    int generated;
    PcAdapter adapter;
    private long admittedNanos;
    private long firstTokenNanos;
    private long lastTokenNanos;
    private boolean done;

    Sequence(GenerationRequest request, StreamingDecoder decoder, Runnable wake, long now) {
        this.request = request;
        this.sampler = new Sampler(request.sampling());
        this.decoder = decoder;
        this.stops = new StopMatcher(request.sampling().stop());
        this.wake = wake;
        this.submittedNanos = now;
    }

    GenerationRequest request() {
        return request;
    }

    CompletableFuture<Completion> completion() {
        return completion;
    }

    void requestCancel() {
        cancelRequested = true;
        wake.run();
    }

    boolean cancelRequested() {
        return cancelRequested;
    }

    boolean done() {
        return done;
    }

    int promptLength() {
        return request.promptIds().length;
    }

    long admitted(long now) {
        admittedNanos = now;
        return now - submittedNanos;
    }

    /** Samples from {@code logits[offset .. offset+vocab)}; returns why the sequence ended, or null. */
    FinishReason accept(float[] logits, int offset, int vocab, int[][] experts, long maxPositions,
                        EngineObserver observer, long now, StepProfile profile) {
        SampledToken s = sampler.sample(logits, offset, vocab);
        long sampled = profile.lap(StepProfile.Stage.SAMPLING, now);
        try {
            return deliver(s, experts, maxPositions, observer, now);
        } finally {
            profile.lap(StepProfile.Stage.EMIT, sampled);
        }
    }

    /** Records the sampled token, and detokenizes, stop-matches and emits it; a reason when the sequence ends. */
    private FinishReason deliver(SampledToken s, int[][] experts, long maxPositions, EngineObserver observer,
                                 long now) {
        generated++;
        lastToken = s.token();
        if (generated == 1) {
            firstTokenNanos = now - submittedNanos;
            observer.onFirstToken(firstTokenNanos);
        } else {
            observer.onInterToken(now - lastTokenNanos);
        }
        lastTokenNanos = now;
        if (isStopToken(s.token())) {
            return FinishReason.STOP;
        }
        StopMatcher.Step step = stops.push(decoder.push(s.token()));
        emit(new GeneratedToken(generated - 1, s.token(), step.text(), s.logprob(), s.topLogprobs(),
                request.includeExperts() ? experts : null));
        if (step.stopped()) {
            return FinishReason.STOP;
        }
        if (generated >= request.sampling().maxTokens() || nextPosition + 1 >= maxPositions) {
            return FinishReason.LENGTH;
        }
        return null;
    }

    private boolean isStopToken(int token) {
        return Arrays.stream(request.stopTokenIds()).anyMatch(t -> t == token);
    }

    void finish(FinishReason reason, EngineObserver observer, long now) {
        if (done) {
            return;
        }
        done = true;
        String tail = "";
        if (reason != FinishReason.CANCELLED && !stops.stopped()) {
            StopMatcher.Step last = stops.push(decoder.finish());
            tail = last.stopped() ? last.text() : last.text() + stops.finish();
        }
        int cached = request.prefixCache() == null ? 0 : request.prefixCache().restoredTokens();
        Completion c = new Completion(request.id(), reason, promptLength(), cached, generated, tail,
                adapter == null ? "" : adapter.version(), admittedNanos == 0 ? 0 : admittedNanos - submittedNanos,
                firstTokenNanos, now - submittedNanos);
        observer.onFinished(c);
        try {
            request.sink().onFinish(c);
        } finally {
            completion.complete(c);
        }
    }

    void fail(EngineException error, EngineObserver observer) {
        if (done) {
            return;
        }
        done = true;
        observer.onFailed(error);
        try {
            request.sink().onError(error);
        } finally {
            completion.completeExceptionally(error);
        }
    }

    private void emit(GeneratedToken token) {
        request.sink().onToken(token);
    }
}
