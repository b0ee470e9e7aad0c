package dev.dragon.core.engine;

import dev.dragon.core.adapter.PcAdapter;
import dev.dragon.core.bundle.ModelBundle;
import dev.dragon.core.expert.ExpertBackend;
import dev.dragon.core.expert.ExpertRunner;
import dev.dragon.core.expert.LocalExpertBackend;
import dev.dragon.core.gating.GatingPolicy;
import dev.dragon.core.gating.RoutingStats;
import dev.dragon.core.kv.KvArena;
import dev.dragon.core.model.DragonModel;
import dev.dragon.core.model.ForwardPass;
import dev.dragon.core.model.StepInput;
import dev.dragon.core.model.StepProfile;
import dev.dragon.core.model.StepProfile.Stage;
import dev.dragon.core.model.StepOutput;
import dev.dragon.core.runtime.OrtRuntime;
import dev.dragon.core.runtime.RuntimeOptions;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The whole model in one process with continuous batching.
 *
 * <p>One engine thread loops: admit waiting requests into free KV slots, prefill prompts in chunks
 * (at most {@link EngineOptions#prefillTokensPerStep()} tokens between two decode steps), then run one
 * decode step for every sequence that has its prompt in, sample, stream, and retire finished or
 * cancelled sequences. New requests join between steps; finished ones leave between steps. The routed
 * experts are behind an {@link ExpertBackend}, so the router runs this same loop with remote experts.
 */
public final class LocalEngine implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LocalEngine.class.getName());

    private final DragonModel model;
    private final EngineOptions options;
    private final EngineObserver observer;
    private final ForwardPass forward;
    private final RoutingStats routingStats;
    private final LinkedBlockingQueue<Sequence> waiting;
    private final AtomicReference<PcAdapter> adapter;
    private final Slots slots;
    private final ArrayDeque<Sequence> prefilling = new ArrayDeque<>();
    private final AutoCloseable owned;
    private final Thread thread;
    private volatile boolean closed;
    private volatile int running;

    public LocalEngine(DragonModel model, ExpertBackend experts, EngineOptions options, EngineObserver observer) {
        this(model, experts, options, observer, null);
    }

    private LocalEngine(DragonModel model, ExpertBackend experts, EngineOptions options, EngineObserver observer,
                        AutoCloseable owned) {
        this.model = Objects.requireNonNull(model);
        this.options = Objects.requireNonNull(options);
        this.observer = Objects.requireNonNull(observer);
        this.owned = owned;
        var arch = model.architecture();
        this.routingStats = new RoutingStats(arch.nLayers(), arch.routedExperts());
        KvArena kv = KvArena.forModel(arch, options.maxBatch());
        this.forward = new ForwardPass(model, experts, kv, (layer, routing) -> {
            routingStats.record(layer, routing);
            observer.onRouting(layer, routing);
        }, options.microBatches(), options.minRowsPerMicroBatch());
        this.slots = new Slots(kv);
        this.waiting = new LinkedBlockingQueue<>(options.maxQueue());
        this.adapter = new AtomicReference<>(model.baseAdapter());
        this.thread = Thread.ofPlatform().name("dragon-engine").daemon().start(this::loop);
    }

    /** An engine over every expert of the bundle in {@code dir}, in this process; closing it closes all. */
    public static LocalEngine open(Path dir, EngineOptions options, RuntimeOptions runtimeOptions,
                                   GatingPolicy gating, EngineObserver observer) {
        ModelBundle bundle = ModelBundle.open(dir);
        OrtRuntime runtime = new OrtRuntime(runtimeOptions);
        DragonModel model = DragonModel.load(bundle, runtime, gating);
        LocalExpertBackend experts;
        try {
            experts = new LocalExpertBackend(ExpertRunner.load(bundle, runtime, ExpertRunner.Selection.all()));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        try {
            return new LocalEngine(model, experts, options, observer, () -> {
                experts.close();
                model.close();
            });
        } catch (RuntimeException e) {                      // e.g. a null observer: nothing may stay open
            experts.close();
            model.close();
            throw e;
        }
    }

    public DragonModel model() {
        return model;
    }

    public EngineOptions options() {
        return options;
    }

    public RoutingStats routingStats() {
        return routingStats;
    }

    /** Sequences holding a KV slot (prefilling or decoding). */
    public int running() {
        return running;
    }

    /** Requests waiting for a slot. */
    public int waiting() {
        return waiting.size();
    }

    /** The PC adapter new requests start with. */
    public PcAdapter adapter() {
        return adapter.get();
    }

    /**
     * Makes {@code next} the adapter of every request admitted from now on; running requests keep
     * the version they started with until their last token.
     */
    public void setAdapter(PcAdapter next) {
        var arch = model.architecture();
        if (next.dModel() != arch.dModel() || next.pcHidden() != arch.pcHidden()) {
            throw new IllegalArgumentException("adapter " + next.version() + " does not fit this model");
        }
        adapter.set(next);
    }

    /**
     * Queues a generation.
     *
     * @throws QueueFullException   when {@link EngineOptions#maxQueue()} requests are already waiting
     * @throws EngineClosedException after {@link #close()}
     */
    public GenerationHandle submit(GenerationRequest request) {
        if (closed) {
            throw new EngineClosedException();
        }
        int vocab = model.architecture().vocabSize();
        for (int id : request.promptIds()) {
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException("prompt token id " + id + " is outside the vocabulary");
            }
        }
        Sequence s = new Sequence(request, model.tokenizer().streamingDecoder(), this::wake, System.nanoTime());
        if (!waiting.offer(s)) {
            throw new QueueFullException(options.maxQueue());
        }
        wake();
        return new GenerationHandle(s);
    }

    private void wake() {
        LockSupport.unpark(thread);
    }

    private void loop() {
        while (!closed) {
            try {
                admit();
                retireCancelled();
                boolean worked = prefill();
                worked |= decode();
                if (!worked) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                }
            } catch (RuntimeException | Error e) {
                LOG.log(Level.SEVERE, "engine step failed; failing the running requests", e);
                failAll(new EngineException("internal engine error: " + e, e));
            }
        }
        failAll(new EngineClosedException());
        for (Sequence s; (s = waiting.poll()) != null; ) {
            s.fail(new EngineClosedException(), observer);
        }
    }

    private void admit() {
        while (slots.hasFree()) {
            Sequence s = waiting.poll();
            if (s == null) {
                return;
            }
            long now = System.nanoTime();
            if (s.cancelRequested()) {
                s.finish(FinishReason.CANCELLED, observer, now);
                continue;
            }
            observer.onAdmitted(s.admitted(now));
            slots.acquire(s);
            running = slots.occupied();
            s.adapter = adapter.get();
            PrefixCache cache = s.request().prefixCache();
            if (cache != null && cache.restore() != null) {
                try {
                    forward.kv().restore(s.slot, cache.restore());
                    s.prefilled = cache.restoredTokens();
                } catch (IllegalArgumentException e) {   // a state of another shape: prefill it all
                    LOG.warning(() -> s.request().id() + ": cached KV state not usable: " + e.getMessage());
                    forward.kv().clear(s.slot);
                }
            }
            prefilling.addLast(s);
        }
    }

    private void retireCancelled() {
        long now = System.nanoTime();
        waiting.removeIf(s -> {
            if (s.cancelRequested()) {
                s.finish(FinishReason.CANCELLED, observer, now);
                return true;
            }
            return false;
        });
        prefilling.removeIf(s -> {
            if (s.cancelRequested()) {
                end(s, FinishReason.CANCELLED, now);
                return true;
            }
            return false;
        });
        for (int i = slots.decodeCount() - 1; i >= 0; i--) {
            Sequence s = slots.decoding(i);
            if (s.cancelRequested()) {
                end(s, FinishReason.CANCELLED, now);
            }
        }
    }

    /** Prefills prompt chunks up to the token budget; a finished prompt samples its first token. */
    private boolean prefill() {
        int budget = options.prefillTokensPerStep();
        boolean worked = false;
        int window = model.architecture().window();
        while (budget > 0 && !prefilling.isEmpty()) {
            Sequence s = prefilling.peekFirst();
            int chunk = Math.min(Math.min(s.promptLength() - s.prefilled, budget), window);
            PrefixCache cache = s.request().prefixCache();
            int capturePoint = cache == null ? 0 : cache.nextCapturePoint(s.prefilled);   // a chunk ends at each point
            if (capturePoint > 0) {
                chunk = Math.min(chunk, capturePoint - s.prefilled);
            }
            long t0 = System.nanoTime();
            StepOutput out;
            try {
                out = forward.run(StepInput.chunk(s.slot, s.request().promptIds(), s.prefilled,
                        s.prefilled + chunk, s.prefilled, false));
            } catch (RuntimeException e) {
                prefilling.removeFirst();
                fail(s, new EngineException("prefill failed: " + e.getMessage(), e));
                continue;
            }
            observer.onStep(true, 1, chunk, System.nanoTime() - t0);
            worked = true;
            budget -= chunk;
            s.prefilled += chunk;
            if (capturePoint > 0 && s.prefilled == capturePoint && !out.failed(0)) {
                try {
                    cache.onCapture().accept(forward.kv().export(s.slot));
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, s.request().id() + ": KV state capture failed", e);
                }
            }
            if (out.failed(0)) {
                prefilling.removeFirst();
                fail(s, new ExpertUnavailableException(out.failures()));
            } else if (s.prefilled == s.promptLength()) {
                prefilling.removeFirst();
                s.nextPosition = s.promptLength();
                float[] logits = new float[model.architecture().vocabSize()];
                model.head(out.hidden(), 0, 1, s.adapter, logits, 0, null);
                FinishReason reason = accept(s, logits, 0, out.experts()[0], forward.profile());
                if (reason != null) {
                    end(s, reason, System.nanoTime());
                } else if (!s.done()) {
                    slots.promote(s);
                }
            }
        }
        return worked;
    }

    /** One decode step for every sequence in slots [0, decodeCount). */
    private boolean decode() {
        int b = slots.decodeCount();
        if (b == 0) {
            return false;
        }
        Sequence[] batch = new Sequence[b];
        long[] ids = new long[b];
        long[] positions = new long[b];
        for (int i = 0; i < b; i++) {
            batch[i] = slots.decoding(i);
            ids[i] = batch[i].lastToken;
            positions[i] = batch[i].nextPosition;
        }
        long t0 = System.nanoTime();
        int vocab = model.architecture().vocabSize();
        float[] logits = new float[b * vocab];
        StepProfile profile = forward.profile();
        profile.reset();
        StepOutput out;
        try {
            out = forward.run(new StepInput(0, b, 1, ids, positions, false));
            long head = System.nanoTime();
            headByAdapter(out.hidden(), batch, logits);
            profile.lap(Stage.HEAD, head);
        } catch (RuntimeException e) {
            EngineException error = new EngineException("decode step failed: " + e.getMessage(), e);
            for (int i = b - 1; i >= 0; i--) {
                fail(batch[i], error);
            }
            return true;
        }
        observer.onStep(false, b, b, System.nanoTime() - t0);
        List<Sequence> ended = new ArrayList<>();
        List<FinishReason> reasons = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            Sequence s = batch[i];
            s.nextPosition++;
            if (out.failed(i)) {
                ended.add(s);
                reasons.add(null);
                continue;
            }
            FinishReason reason = accept(s, logits, i * vocab, out.experts()[i], profile);
            if (reason != null || s.done()) {
                ended.add(s);
                reasons.add(reason);
            }
        }
        long now = System.nanoTime();
        observer.onDecodeProfile(profile);
        for (int i = ended.size() - 1; i >= 0; i--) {     // descending slots: release keeps the run compact
            Sequence s = ended.get(i);
            if (reasons.get(i) != null) {
                end(s, reasons.get(i), now);
            } else if (s.done()) {
                release(s);
            } else {
                fail(s, new ExpertUnavailableException(out.failures()));
            }
        }
        return true;
    }

    /** Runs the head once per adapter version present in the batch (usually one). */
    private void headByAdapter(float[] hidden, Sequence[] batch, float[] logits) {
        int vocab = model.architecture().vocabSize();
        PcAdapter first = batch[0].adapter;
        boolean uniform = true;
        for (Sequence s : batch) {
            uniform &= s.adapter == first;
        }
        if (uniform) {
            model.head(hidden, 0, batch.length, first, logits, 0, null);
            return;
        }
        float[] row = new float[vocab];
        for (int i = 0; i < batch.length; i++) {
            model.head(hidden, i, 1, batch[i].adapter, row, 0, null);
            System.arraycopy(row, 0, logits, i * vocab, vocab);
        }
    }

    private FinishReason accept(Sequence s, float[] logits, int offset, int[][] experts, StepProfile profile) {
        try {
            return s.accept(logits, offset, model.architecture().vocabSize(), experts,
                    model.architecture().maxPositions(), observer, System.nanoTime(), profile);
        } catch (RuntimeException e) {      // a failing sink must not take other sequences down
            fail(s, new EngineException("token delivery failed: " + e.getMessage(), e));
            return null;
        }
    }

    /** Frees the slot before the sink hears of the end, so callers see a consistent {@link #running()}. */
    private void release(Sequence s) {
        slots.release(s);
        running = slots.occupied();
    }

    private void end(Sequence s, FinishReason reason, long now) {
        release(s);
        try {
            s.finish(reason, observer, now);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "completion sink of " + s.request().id() + " failed", e);
        }
    }

    private void fail(Sequence s, EngineException error) {
        release(s);
        try {
            s.fail(error, observer);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "error sink of " + s.request().id() + " failed", e);
        }
    }

    private void failAll(EngineException error) {
        for (Sequence s : new ArrayList<>(prefilling)) {
            fail(s, error);
        }
        prefilling.clear();
        for (int i = slots.decodeCount() - 1; i >= 0; i--) {
            fail(slots.decoding(i), error);
        }
    }

    /** Stops the engine thread; unfinished requests fail with {@link EngineClosedException}. */
    @Override
    public void close() {
        closed = true;
        wake();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "closing engine resources failed", e);
            }
        }
    }
}
