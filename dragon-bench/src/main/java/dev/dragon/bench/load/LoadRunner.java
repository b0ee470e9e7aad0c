package dev.dragon.bench.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/** Runs a workload against a target with {@code c} closed-loop clients and summarises what they measured. */
final class LoadRunner {

    private LoadRunner() {
    }

    /**
     * Each of {@code concurrency} clients takes the next request as soon as its previous one finished.
     *
     * @param progress called with the number of requests finished so far
     */
    static Summary run(Target target, Workload workload, int concurrency, CpuMeter cpu, IntConsumer progress) {
        List<Workload.Request> requests = workload.requests();
        Map<String, Long> cpuBefore = cpu.sample();
        Outcome[] outcomes = new Outcome[requests.size()];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        long t0 = System.nanoTime();
        try (ExecutorService clients = Executors.newFixedThreadPool(concurrency)) {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                running.add(clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < requests.size(); i = next.getAndIncrement()) {
                        outcomes[i] = target.run(requests.get(i));
                        progress.accept(finished.incrementAndGet());
                    }
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("benchmark client failed: " + e, e);
        }
        long wall = System.nanoTime() - t0;
        Map<String, Double> cpuSeconds = CpuMeter.secondsBetween(cpuBefore, cpu.sample());
        return Summary.of(target.name(), concurrency, Arrays.asList(outcomes), wall,
                cpu.isEmpty() ? Double.NaN : cpu.countedTotal(cpuSeconds), cpuSeconds);
    }

    /**
     * One row of the results table.
     *
     * @param tokensPerSecond    completion tokens of successful requests (as the server's usage reports them) / wall time
     * @param cpuSecondsPerToken CPU seconds of the serving processes, summed, per completion token
     * @param cpuSeconds         CPU seconds per measured process during this level
     */
    record Summary(String target, int concurrency, int requests, int failed, double seconds, double tokensPerSecond,
                   double requestsPerSecond, double ttftP50Ms, double ttftP99Ms, double itlP50Ms, double itlP99Ms,
                   double e2eP50Ms, double e2eP99Ms, double cpuSecondsPerToken, Map<String, Double> cpuSeconds) {

        static Summary of(String target, int concurrency, List<Outcome> outcomes, long wallNanos,
                          double servingCpuSeconds, Map<String, Double> cpuSeconds) {
            List<Outcome> ok = outcomes.stream().filter(o -> !o.failed()).toList();
            double seconds = wallNanos / 1e9;
            long tokens = ok.stream().mapToLong(Outcome::tokens).sum();
            double[] ttft = ok.stream().mapToDouble(o -> o.ttftNanos() / 1e6).sorted().toArray();
            double[] itl = ok.stream().mapToDouble(o -> o.interTokenNanos() / 1e6).filter(v -> v >= 0).sorted().toArray();
            double[] e2e = ok.stream().mapToDouble(o -> o.totalNanos() / 1e6).sorted().toArray();
            return new Summary(target, concurrency, outcomes.size(), outcomes.size() - ok.size(), seconds,
                    tokens / seconds, ok.size() / seconds, pct(ttft, 50), pct(ttft, 99), pct(itl, 50), pct(itl, 99),
                    pct(e2e, 50), pct(e2e, 99),
                    tokens == 0 ? Double.NaN : servingCpuSeconds / tokens, cpuSeconds);
        }

        /** Nearest-rank percentile of sorted values; NaN when empty. */
        static double pct(double[] sorted, double p) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(p / 100.0 * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
        }
    }
}
