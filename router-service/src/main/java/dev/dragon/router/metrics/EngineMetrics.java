package dev.dragon.router.metrics;

import dev.dragon.core.bundle.Architecture;
import dev.dragon.core.engine.Completion;
import dev.dragon.core.engine.EngineObserver;
import dev.dragon.core.engine.FinishReason;
import dev.dragon.core.engine.LocalEngine;
import dev.dragon.core.gating.Routing;
import dev.dragon.core.model.StepProfile;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The engine's metrics (docs/metrics.md, router-service): latencies, token counts, batch sizes, step
 * durations and each decode step's time by stage, tokens per expert, and routing load over the last minute. Every callback runs on the engine
 * thread, so each only updates lock-free meters or the short-locked {@link RoutingWindow}.
 */
public final class EngineMetrics implements EngineObserver {

    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int WINDOW_BUCKETS = 12;
    private static final StepProfile.Stage[] STAGES = StepProfile.stages();

    private final MeterRegistry registry;
    private final int layers;
    private final int experts;
    private final Timer timeToFirstToken;
    private final Timer interToken;
    private final Timer queueTime;
    private final Map<FinishReason, Timer> endToEnd = new EnumMap<>(FinishReason.class);
    private final Counter promptTokens;
    private final Counter cachedPromptTokens;
    private final Counter generationTokens;
    private final DistributionSummary prefillBatch;
    private final DistributionSummary decodeBatch;
    private final Timer prefillStep;
    private final Timer decodeStep;
    private final Timer[] decodeStage;             // [StepProfile.Stage ordinal]
    private final Counter[] expertTokens;          // [layer * experts + expert]
    private final RoutingWindow window;
    private final DispatchShare dispatchShare;

    /**
     * @param dispatchWaitNanos cumulative nanoseconds the engine has waited on remote expert dispatch (0 for
     *                          in-process experts): the numerator of {@code dragon_dispatch_share}
     */
    public EngineMetrics(MeterRegistry registry, Architecture arch, LongSupplier dispatchWaitNanos) {
        this.registry = registry;
        this.layers = arch.nLayers();
        this.experts = arch.routedExperts();
        this.timeToFirstToken = latency("dragon.time.to.first.token", "request accepted to first token")
                .register(registry);
        this.interToken = latency("dragon.inter.token.latency", "between consecutive tokens of a sequence")
                .register(registry);
        this.queueTime = latency("dragon.queue.time", "waiting for a KV slot").register(registry);
        for (FinishReason reason : FinishReason.values()) {
            endToEnd.put(reason, latency("dragon.e2e.request.latency", "request accepted to last token")
                    .tag("finish_reason", reason.openAiName()).register(registry));
        }
        this.promptTokens = Counter.builder("dragon.prompt.tokens").description("prompt tokens prefilled")
                .register(registry);
        this.cachedPromptTokens = Counter.builder("dragon.prompt.tokens.cached")
                .description("prompt tokens restored from the KV-state cache").register(registry);
        this.generationTokens = Counter.builder("dragon.generation.tokens").description("tokens generated")
                .register(registry);
        this.prefillBatch = batch("prefill");
        this.decodeBatch = batch("decode");
        this.prefillStep = step("prefill");
        this.decodeStep = step("decode");
        this.decodeStage = new Timer[STAGES.length];
        for (StepProfile.Stage stage : STAGES) {          // no histogram: ten series recorded every step
            decodeStage[stage.ordinal()] = Timer.builder("dragon.decode.stage")
                    .description("engine-thread time of one decode step in one stage").tag("stage", stage.tag())
                    .register(registry);
        }
        this.expertTokens = new Counter[layers * experts];
        for (int l = 0; l < layers; l++) {
            for (int e = 0; e < experts; e++) {
                expertTokens[l * experts + e] = Counter.builder("dragon.expert.tokens")
                        .description("tokens routed to each expert")
                        .tag("layer", Integer.toString(l)).tag("expert", Integer.toString(e)).register(registry);
            }
        }
        this.window = new RoutingWindow(layers, experts, WINDOW, WINDOW_BUCKETS, System::nanoTime);
        for (int l = 0; l < layers; l++) {
            int layer = l;
            Gauge.builder("dragon.expert.load.imbalance", window, w -> w.loadImbalance(layer))
                    .description("max/mean tokens per expert over the last minute")
                    .tag("layer", Integer.toString(l)).register(registry);
        }
        Gauge.builder("dragon.experts.per.token", window, RoutingWindow::expertsPerToken)
                .description("average routed experts per token over the last minute").register(registry);
        this.dispatchShare = new DispatchShare(WINDOW, WINDOW_BUCKETS, System::nanoTime, dispatchWaitNanos);
        Gauge.builder("dragon.dispatch.share", dispatchShare, DispatchShare::share)
                .description("fraction of decode step time spent waiting on expert dispatch over the last minute")
                .register(registry);
    }

    /** Registers the gauges that read the engine's slots and queue. */
    public void bind(LocalEngine engine) {
        Gauge.builder("dragon.sequences.running", engine, LocalEngine::running)
                .description("sequences holding a KV slot").register(registry);
        Gauge.builder("dragon.sequences.waiting", engine, LocalEngine::waiting)
                .description("requests queued for a slot").register(registry);
    }

    @Override
    public void onStep(boolean prefill, int batch, int tokens, long nanos) {
        (prefill ? prefillBatch : decodeBatch).record(batch);
        (prefill ? prefillStep : decodeStep).record(nanos, TimeUnit.NANOSECONDS);
        dispatchShare.onStep(!prefill, nanos);
        if (prefill) {
            promptTokens.increment(tokens);
        }
    }

    @Override
    public void onDecodeProfile(StepProfile profile) {
        for (StepProfile.Stage stage : STAGES) {
            decodeStage[stage.ordinal()].record(profile.nanos(stage), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void onAdmitted(long queueNanos) {
        queueTime.record(queueNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void onFirstToken(long nanos) {
        timeToFirstToken.record(nanos, TimeUnit.NANOSECONDS);
        generationTokens.increment();
    }

    @Override
    public void onInterToken(long nanos) {
        interToken.record(nanos, TimeUnit.NANOSECONDS);
        generationTokens.increment();
    }

    @Override
    public void onFinished(Completion completion) {
        endToEnd.get(completion.reason()).record(completion.totalNanos(), TimeUnit.NANOSECONDS);
        if (completion.cachedTokens() > 0) {
            cachedPromptTokens.increment(completion.cachedTokens());
        }
    }

    @Override
    public void onRouting(int layer, Routing routing) {
        int[] perExpert = new int[experts];
        for (int r = 0; r < routing.rows(); r++) {
            for (int j = 0; j < routing.count(r); j++) {
                perExpert[routing.expert(r, j)]++;
            }
        }
        for (int e = 0; e < experts; e++) {
            if (perExpert[e] > 0) {
                expertTokens[layer * experts + e].increment(perExpert[e]);
            }
        }
        window.record(layer, perExpert, routing.rows());
    }

    private static Timer.Builder latency(String name, String description) {
        return Timer.builder(name).description(description).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60));
    }

    private DistributionSummary batch(String phase) {
        return DistributionSummary.builder("dragon.batch.size").description("sequences per model step")
                .tag("phase", phase).register(registry);
    }

    private Timer step(String phase) {
        return latency("dragon.step.duration", "one model step").tag("phase", phase).register(registry);
    }
}
