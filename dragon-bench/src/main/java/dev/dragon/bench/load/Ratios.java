package dev.dragon.bench.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The results table and the ratios docs/BENCHMARKS.md records (distributed / LocalEngine, Dragon / eager). */
final class Ratios {

    private Ratios() {
    }

    static Map<String, Double> of(List<LoadRunner.Summary> rows) {
        Map<String, Double> ratios = new LinkedHashMap<>();
        for (int c : PlatformBench.CONCURRENCY) {
            overLocal(ratios, rows, "platform", PlatformBench.PLATFORM, c);
            overLocal(ratios, rows, "router_direct", PlatformBench.ROUTER_DIRECT, c);
            between(ratios, rows, "local_again_over_local@" + c, PlatformBench.LOCAL_AGAIN, PlatformBench.LOCAL, c);
            between(ratios, rows, "overlap_on_over_off@" + c, PlatformBench.ROUTER_DIRECT,
                    PlatformBench.ONE_MICRO_BATCH, c);
        }
        Double eager = tps(rows, "PyTorch eager", 1);
        if (eager != null) {
            for (int c : PlatformBench.CONCURRENCY) {
                Double local = tps(rows, PlatformBench.LOCAL, c);
                Double platform = tps(rows, PlatformBench.PLATFORM, c);
                if (local != null) {
                    ratios.put("local@" + c + "_over_eager@1", local / eager);
                }
                if (platform != null) {
                    ratios.put("platform@" + c + "_over_eager@1", platform / eager);
                }
            }
        }
        return ratios;
    }

    /** tokens/s and CPU per token of {@code a} over {@code b} (a same-run A/B), under {@code name}. */
    private static void between(Map<String, Double> ratios, List<LoadRunner.Summary> rows, String name, String a,
                                String b, int c) {
        Double ta = tps(rows, a, c);
        Double tb = tps(rows, b, c);
        if (ta == null || tb == null) {
            return;
        }
        ratios.put(name, ta / tb);
        ratios.put("cpu_per_token_" + name, metric(rows, a, c, LoadRunner.Summary::cpuSecondsPerToken)
                / metric(rows, b, c, LoadRunner.Summary::cpuSecondsPerToken));
    }

    /** tokens/s, inter-token p50 and CPU per token of {@code target} against LocalEngine at {@code c} streams. */
    private static void overLocal(Map<String, Double> ratios, List<LoadRunner.Summary> rows, String name,
                                  String target, int c) {
        Double local = tps(rows, PlatformBench.LOCAL, c);
        Double remote = tps(rows, target, c);
        if (local == null || remote == null) {
            return;
        }
        ratios.put(name + "_over_local@" + c, remote / local);
        ratios.put("itl_p50_" + name + "_over_local@" + c, metric(rows, target, c, LoadRunner.Summary::itlP50Ms)
                / metric(rows, PlatformBench.LOCAL, c, LoadRunner.Summary::itlP50Ms));
        ratios.put("cpu_per_token_" + name + "_over_local@" + c,
                metric(rows, target, c, LoadRunner.Summary::cpuSecondsPerToken)
                        / metric(rows, PlatformBench.LOCAL, c, LoadRunner.Summary::cpuSecondsPerToken));
    }

    static String table(List<LoadRunner.Summary> rows) {
        List<String> lines = new ArrayList<>();
        lines.add("| target | streams | requests (failed) | tokens/s | requests/s | TTFT p50 / p99 ms "
                + "| inter-token p50 / p99 ms | end-to-end p50 / p99 ms | CPU ms / token |");
        lines.add("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (LoadRunner.Summary s : rows) {
            lines.add(String.format(Locale.ROOT, "| %s | %d | %d (%d) | %.0f | %.2f | %.0f / %.0f | %.1f / %.1f | %.0f / %.0f | %.2f |",
                    s.target(), s.concurrency(), s.requests(), s.failed(), s.tokensPerSecond(), s.requestsPerSecond(),
                    s.ttftP50Ms(), s.ttftP99Ms(), s.itlP50Ms(), s.itlP99Ms(), s.e2eP50Ms(), s.e2eP99Ms(),
                    s.cpuSecondsPerToken() * 1e3));
        }
        return String.join("\n", lines);
    }

    private static Double tps(List<LoadRunner.Summary> rows, String prefix, int c) {
        double v = metric(rows, prefix, c, LoadRunner.Summary::tokensPerSecond);
        return Double.isNaN(v) ? null : v;
    }

    private static double metric(List<LoadRunner.Summary> rows, String prefix, int c,
                                 ToDoubleFunction<LoadRunner.Summary> f) {
        return rows.stream().filter(r -> r.target().startsWith(prefix) && r.concurrency() == c)
                .mapToDouble(f).findFirst().orElse(Double.NaN);
    }
}
