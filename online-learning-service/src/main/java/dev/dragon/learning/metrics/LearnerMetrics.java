package dev.dragon.learning.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Every meter of the learner (docs/metrics.md, online-learning-service). Labels are bounded by construction. */
public final class LearnerMetrics {

    private final MeterRegistry registry;
    private final Timer update;
    private final AtomicLong liveVersion = new AtomicLong();
    private final Map<String, AtomicLong> lag = new ConcurrentHashMap<>();
    private final Map<String, AtomicReference<Double>> perplexity = new ConcurrentHashMap<>();

    public LearnerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.update = Timer.builder("dragon.learner.update").description("one adapter update: train and gate a candidate")
                .publishPercentileHistogram().register(registry);
        Gauge.builder("dragon.learner.live.adapter.version", liveVersion, AtomicLong::get)
                .description("last promoted adapter version").register(registry);
        for (String slice : new String[] {"feedback", "base"}) {
            AtomicReference<Double> ref = new AtomicReference<>(Double.NaN);
            perplexity.put(slice, ref);
            Gauge.builder("dragon.learner.heldout.perplexity", ref, AtomicReference::get).tag("slice", slice)
                    .description("perplexity of the live version on a held-out slice").register(registry);
        }
        // every series with a known label set starts at 0, so dashboards and alerts see it before the first event
        for (String reason : new String[] {"unknown_response", "expired", "malformed", "not_positive", "tenant_cap",
                "tenant_mismatch"}) {
            Counter.builder("dragon.learner.feedback.dropped").tag("reason", reason)
                    .description("feedback not used").register(registry);
        }
        for (String source : new String[] {"positive", "correction", "replay"}) {
            Counter.builder("dragon.learner.examples").tag("source", source)
                    .description("training examples built").register(registry);
        }
        Counter.builder("dragon.learner.candidates").tag("outcome", "promoted").tag("reason", "improved")
                .description("candidate versions through the gate").register(registry);
        for (String reason : new String[] {"no_improvement", "base_regression", "non_finite"}) {
            Counter.builder("dragon.learner.candidates").tag("outcome", "rejected").tag("reason", reason)
                    .description("candidate versions through the gate").register(registry);
        }
    }

    public void consumed(String topic) {
        Counter.builder("dragon.learner.events.consumed").tag("topic", topic)
                .description("Kafka records consumed").register(registry).increment();
    }

    public void lag(String topic, long records) {
        lag.computeIfAbsent(topic, t -> {
            AtomicLong v = new AtomicLong();
            Gauge.builder("dragon.learner.consumer.lag", v, AtomicLong::get).tag("topic", t)
                    .description("records behind the log end").register(registry);
            return v;
        }).set(records);
    }

    /** {@code source}: positive, correction or replay. */
    public void examples(String source, int count) {
        Counter.builder("dragon.learner.examples").tag("source", source)
                .description("training examples built").register(registry).increment(count);
    }

    public void feedbackDropped(String reason) {
        Counter.builder("dragon.learner.feedback.dropped").tag("reason", reason)
                .description("feedback not used").register(registry).increment();
    }

    /** {@code outcome}: promoted or rejected; {@code reason}: improved, no_improvement, base_regression, non_finite. */
    public void candidate(String outcome, String reason) {
        Counter.builder("dragon.learner.candidates").tag("outcome", outcome).tag("reason", reason)
                .description("candidate versions through the gate").register(registry).increment();
    }

    public void updateNanos(long nanos) {
        update.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    public void liveVersion(long version) {
        liveVersion.set(version);
    }

    public void heldoutPerplexity(String slice, double value) {
        perplexity.get(slice).set(value);
    }

    public void adminRequest(String action, int status) {
        Counter.builder("dragon.learner.admin.requests").tag("action", action).tag("status", Integer.toString(status))
                .description("admin API requests by outcome").register(registry).increment();
    }
}
