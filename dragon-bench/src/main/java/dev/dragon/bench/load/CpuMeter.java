package dev.dragon.bench.load;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * CPU time (user + system) of named processes, as the kernel accounts it in {@code /proc/<pid>/stat}
 * (read through {@link ProcessHandle.Info#totalCpuDuration()}). CPU per token is the figure that stays stable
 * on a shared, noisy host where wall time does not.
 */
final class CpuMeter {

    private final Map<String, ProcessHandle> processes;
    private final Set<String> counted;

    private CpuMeter(Map<String, ProcessHandle> processes, Set<String> counted) {
        this.processes = processes;
        this.counted = counted;
    }

    /**
     * {@code counted}: {@code name → pid} of the processes whose CPU is the cost of serving; {@code shown}: reported
     * beside them but left out of the total (the load generator). A pid already gone is left out.
     */
    static CpuMeter of(Map<String, Long> counted, Map<String, Long> shown) {
        Map<String, ProcessHandle> handles = new LinkedHashMap<>();
        counted.forEach((name, pid) -> ProcessHandle.of(pid).ifPresent(h -> handles.put(name, h)));
        shown.forEach((name, pid) -> ProcessHandle.of(pid).ifPresent(h -> handles.put(name, h)));
        return new CpuMeter(handles, Set.copyOf(counted.keySet()));
    }

    /** Measures nothing (a warm-up pass, or a target in a process this JVM cannot see). */
    static CpuMeter none() {
        return new CpuMeter(Map.of(), Set.of());
    }

    /** This JVM: the in-process engine and its load-generating clients, counted together. */
    static CpuMeter self(String name) {
        return new CpuMeter(Map.of(name, ProcessHandle.current()), Set.of(name));
    }

    /** The CPU seconds of the counted processes, summed. */
    double countedTotal(Map<String, Double> seconds) {
        return seconds.entrySet().stream().filter(e -> counted.contains(e.getKey()))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    boolean isEmpty() {
        return counted.isEmpty();
    }

    /** Cumulative CPU nanoseconds per process, now. */
    Map<String, Long> sample() {
        Map<String, Long> m = new LinkedHashMap<>();
        processes.forEach((name, h) -> m.put(name, h.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)));
        return m;
    }

    /** CPU seconds spent per process between two samples. */
    static Map<String, Double> secondsBetween(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Double> m = new LinkedHashMap<>();
        after.forEach((name, end) -> m.put(name, Math.max(0, end - before.getOrDefault(name, 0L)) / 1e9));
        return m;
    }
}
