package dev.dragon.router.dispatch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The dispatch metrics of docs/metrics.md, registered for every group up front so each series exists from
 * the start: call latency (and of answered calls, the replica's compute and the rest), retries, failovers,
 * failures, live replicas, and the time the engine spent
 * waiting on dispatch ({@code dragon_dispatch_wait_seconds_total}, the numerator of the dispatch share).
 */
final class DispatchMetrics {

    private final Map<String, Timer> latency = new HashMap<>();
    private final Map<String, Timer> replicaCompute = new HashMap<>();
    private final Map<String, Timer> overhead = new HashMap<>();
    private final Map<String, Counter> retries = new HashMap<>();
    private final Map<String, Counter> failovers = new HashMap<>();
    private final Map<String, Counter> failures = new HashMap<>();

    DispatchMetrics(MeterRegistry registry, Set<String> groups, ReplicaPool pool, LongAdder waitedNanos) {
        for (String g : groups) {
            latency.put(g, Timer.builder("dragon.dispatch.latency").description("one dispatch call to an expert group")
                    .tag("group", g).publishPercentileHistogram().register(registry));
            replicaCompute.put(g, Timer.builder("dragon.dispatch.replica.compute")
                    .description("the replica's own time on an answered call, as it reports it").tag("group", g)
                    .register(registry));
            overhead.put(g, Timer.builder("dragon.dispatch.overhead")
                    .description("an answered call's round trip less the replica's time: wire, queues, protobuf")
                    .tag("group", g).register(registry));
            retries.put(g, Counter.builder("dragon.dispatch.retries").description("calls retried on another replica")
                    .tag("group", g).register(registry));
            failovers.put(g, Counter.builder("dragon.dispatch.failovers")
                    .description("retries that succeeded on another replica").tag("group", g).register(registry));
            failures.put(g, Counter.builder("dragon.dispatch.failures").description("calls that failed on every replica")
                    .tag("group", g).register(registry));
            Gauge.builder("dragon.expert.group.replicas", pool, p -> p.size(g))
                    .description("live replicas known to discovery").tag("group", g).register(registry);
        }
        FunctionCounter.builder("dragon.dispatch.wait", waitedNanos, w -> w.sum() / 1e9).baseUnit("seconds")
                .description("time the engine spent blocked on expert dispatch").register(registry);
    }

    void callEnded(String group, long nanos) {
        latency.get(group).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** An answered call: its round trip and the compute time the replica reported (0 when it did not). */
    void answered(String group, long roundTripNanos, long replicaNanos) {
        if (replicaNanos > 0 && replicaNanos <= roundTripNanos) {
            replicaCompute.get(group).record(replicaNanos, TimeUnit.NANOSECONDS);
            overhead.get(group).record(roundTripNanos - replicaNanos, TimeUnit.NANOSECONDS);
        }
    }

    void retried(String group) {
        retries.get(group).increment();
    }

    void failedOver(String group) {
        failovers.get(group).increment();
    }

    void failed(String group) {
        failures.get(group).increment();
    }
}
