package dev.dragon.expert.inference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * expert-service's metrics (docs/metrics.md): rows per (layer, expert), rows per call, compute time per
 * layer, calls in flight, readiness and refused calls. Every series of a served expert exists from the
 * start (at zero), so dashboards and the HPA see the replica before its first call.
 */
public final class ExpertMetrics {

    private final MeterRegistry registry;
    private final String group;
    private final Counter[][] rows;          // [layer][expert], null where not served
    private final Timer[] compute;           // [layer]
    private final DistributionSummary batchRows;
    private final AtomicInteger inflight = new AtomicInteger();
    private final AtomicInteger ready = new AtomicInteger();

    public ExpertMetrics(MeterRegistry registry, ExpertPlacement placement, int routedExperts) {
        this.registry = registry;
        this.group = placement.group();
        this.rows = new Counter[placement.layers()][routedExperts];
        this.compute = new Timer[placement.layers()];
        for (int l = 0; l < placement.layers(); l++) {
            String layer = Integer.toString(l);
            for (int e : placement.perLayer().get(l)) {
                rows[l][e] = Counter.builder("dragon.expert.rows").description("rows computed")
                        .tags("group", group, "layer", layer, "expert", Integer.toString(e)).register(registry);
            }
            compute[l] = Timer.builder("dragon.expert.compute").description("compute time of one dispatch call")
                    .tags("group", group, "layer", layer).publishPercentileHistogram().register(registry);
        }
        this.batchRows = DistributionSummary.builder("dragon.expert.batch.rows").description("rows per dispatch call")
                .tag("group", group).register(registry);
        Gauge.builder("dragon.expert.inflight.calls", inflight, AtomicInteger::get)
                .description("dispatch calls being computed now").tag("group", group).register(registry);
        Gauge.builder("dragon.expert.ready", ready, AtomicInteger::get)
                .description("1 once warm-up finished").tag("group", group).register(registry);
    }

    /** A call starts computing; returns its start time for {@link #callFinished}. */
    public long callStarted() {
        inflight.incrementAndGet();
        return System.nanoTime();
    }

    public void callFinished(int layer, int totalRows, long startNanos) {
        compute[layer].record(System.nanoTime() - startNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        batchRows.record(totalRows);
        inflight.decrementAndGet();
    }

    public void rowsComputed(int layer, int expert, int count) {
        rows[layer][expert].increment(count);
    }

    public void ready(boolean value) {
        ready.set(value ? 1 : 0);
    }

    /** A call refused for {@code reason} (a bounded set: the kinds of {@link ExpertRequestException} and "internal"). */
    public void rejected(String reason) {
        registry.counter("dragon.expert.rejected", "group", group, "reason", reason).increment();
    }
}
