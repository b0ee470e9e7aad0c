package dev.dragon.router.adapters;

import dev.dragon.contracts.events.AdapterRejectedException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** {@code dragon_adapter_version}, {@code dragon_adapter_swaps_total}, {@code dragon_adapter_rejected_total{reason}}. */
public final class AdapterMetrics {

    private final AtomicLong version = new AtomicLong();
    private final Counter swaps;
    private final Map<AdapterRejectedException.Reason, Counter> rejected =
            new EnumMap<>(AdapterRejectedException.Reason.class);

    public AdapterMetrics(MeterRegistry registry) {
        Gauge.builder("dragon.adapter.version", version, AtomicLong::get)
                .description("live PC adapter version (numeric)").register(registry);
        this.swaps = Counter.builder("dragon.adapter.swaps").description("adapter versions made live")
                .register(registry);
        for (AdapterRejectedException.Reason r : AdapterRejectedException.Reason.values()) {
            rejected.put(r, Counter.builder("dragon.adapter.rejected").tag("reason", r.label())
                    .description("adapter versions refused (checksum, signature, shape)").register(registry));
        }
    }

    void swapped(long live) {
        version.set(live);
        swaps.increment();
    }

    void rejected(AdapterRejectedException.Reason reason) {
        rejected.get(reason).increment();
    }
}
