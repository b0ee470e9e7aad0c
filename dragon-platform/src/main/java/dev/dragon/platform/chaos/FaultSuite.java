package dev.dragon.platform.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs faults one after the other against a {@link ChaosStack} under a steady {@link LoadDriver} load, then counts
 * what reached Kafka, and judges each fault's window.
 */
public final class FaultSuite {

    /**
     * @param streams        concurrent streaming clients
     * @param faultSeconds   how long each fault is held before it is undone
     * @param settleSeconds  load before the first fault and between faults
     * @param maxTokens      tokens per streamed completion
     * @param feedbackEvery  one feedback call per this many served streams
     * @param faults         fault ids to run, in order
     * @param restartSeconds longest wait for a restarted service to be ready
     * @param normalSeconds  longest wait for "back to normal" after recovery
     */
    public record Settings(int streams, int faultSeconds, int settleSeconds, int maxTokens, int feedbackEvery,
                           List<String> faults, int restartSeconds, int normalSeconds) {
    }

    /** The run: baseline latency, each fault's result, totals. */
    public record Report(Settings settings, double baselineP99Seconds, int baselineRequests, List<FaultResult> faults,
                         int totalRequests, int totalFailed, int interactionsExpected, int interactionsLost,
                         int feedbackExpected, int feedbackLost, Map<String, Double> routerEventsDropped) {
    }

    private final ChaosStack stack;
    private final Settings settings;
    private final Consumer<String> out;

    public FaultSuite(ChaosStack stack, Settings settings, Consumer<String> out) {
        this.stack = stack;
        this.settings = settings;
        this.out = out;
    }

    public Report run(String apiKey) {
        Map<String, Fault> byId = new LinkedHashMap<>();
        Fault.all(settings.restartSeconds()).forEach(f -> byId.put(f.id(), f));
        List<Fault> chosen = settings.faults().stream().map(id -> {
            Fault f = byId.get(id);
            if (f == null) {
                throw new IllegalArgumentException("unknown fault '" + id + "' (known: " + byId.keySet() + ")");
            }
            return f;
        }).toList();
        long t0 = System.nanoTime();
        List<FaultWindow> windows = new ArrayList<>();
        List<Outcome> outcomes;
        long warmedUp;
        try (LoadDriver load = new LoadDriver(stack.gatewayBase(), apiKey, settings.maxTokens(), settings.feedbackEvery())) {
            load.start(settings.streams());
            warmedUp = awaitWarm(load);
            out.accept("chaos: " + settings.streams() + " streams running; baseline for " + settings.settleSeconds() + " s");
            sleep(settings.settleSeconds());
            for (Fault f : chosen) {
                windows.add(inject(f, load));
                sleep(settings.settleSeconds());
            }
            out.accept("chaos: stopping the load");
            load.close();
            outcomes = load.outcomes();
        }
        awaitEventBuffersDrained();
        Set<String> interactions = TopicAudit.keys(stack.kafka().bootstrap(), "dragon.interactions", Duration.ofSeconds(60));
        Set<String> feedback = TopicAudit.keys(stack.kafka().bootstrap(), "dragon.feedback", Duration.ofSeconds(60));
        List<FaultResult> results = new ArrayList<>();
        long grace = TimeUnit.SECONDS.toNanos(settings.normalSeconds());
        for (int i = 0; i < chosen.size(); i++) {
            results.add(windows.get(i).judge(chosen.get(i), outcomes, interactions, feedback, grace));
        }
        long firstFault = windows.isEmpty() ? Long.MAX_VALUE : windows.getFirst().injectedNanos();
        double[] baseline = outcomes.stream().filter(o -> o.kind().equals("stream") && o.endNanos() >= warmedUp
                        && o.endNanos() < firstFault)
                .mapToDouble(Outcome::latencySeconds).toArray();
        FaultWindow whole = new FaultWindow(t0, System.nanoTime(), System.nanoTime());
        FaultResult total = whole.judge(new Fault("all", "whole run", false, s -> { }, s -> () -> true), outcomes,
                interactions, feedback, 0);
        Map<String, Double> dropped = new LinkedHashMap<>();
        for (String r : stack.routerBases()) {
            dropped.put(r, Fault.metric(r, "dragon_events_dropped_total", null));
        }
        return new Report(settings, FaultWindow.percentile(baseline, 0.99), baseline.length, results, total.sent(),
                total.failed(), total.interactionsExpected(), total.interactionsLost(), total.feedbackExpected(),
                total.feedbackLost(), dropped);
    }

    /** Waits (≤ 5 min) until every client has been served once: cold JITs and first connections are not the baseline. */
    private long awaitWarm(LoadDriver load) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline
                && load.outcomes().stream().filter(o -> o.ok() && o.kind().equals("stream")).count() < settings.streams()) {
            sleepMillis(250);
        }
        return System.nanoTime();
    }

    private FaultWindow inject(Fault f, LoadDriver load) {
        out.accept("chaos: fault " + f.id() + ": " + f.description());
        long injected = System.nanoTime();
        f.inject().accept(stack);
        sleep(settings.faultSeconds());
        BooleanSupplier normal = f.recover().apply(stack);
        long recovered = System.nanoTime();
        out.accept(String.format("chaos:   recovered after %.1f s; waiting for normal service", (recovered - injected) / 1e9));
        long deadline = recovered + TimeUnit.SECONDS.toNanos(settings.normalSeconds());
        long normalAt = -1;
        while (System.nanoTime() < deadline) {
            boolean served = load.outcomes().stream().anyMatch(o -> o.ok() && o.startNanos() >= recovered);
            if (served && normal.getAsBoolean()) {
                normalAt = System.nanoTime();
                break;
            }
            sleepMillis(200);
        }
        out.accept(normalAt < 0 ? "chaos:   NOT back to normal within " + settings.normalSeconds() + " s"
                : String.format("chaos:   back to normal %.1f s after recovery", (normalAt - recovered) / 1e9));
        return new FaultWindow(injected, recovered, normalAt);
    }

    private void awaitEventBuffersDrained() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && stack.routerBases().stream()
                .mapToDouble(r -> Fault.metric(r, "dragon_events_buffered", null)).sum() > 0) {
            sleepMillis(250);
        }
    }

    private static void sleep(int seconds) {
        sleepMillis(seconds * 1000L);
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
