package dev.dragon.bench.load;

import dev.dragon.platform.Platform;
import dev.dragon.platform.PlatformPlan;
import dev.dragon.platform.Ports;
import dev.dragon.platform.Prometheus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./dragon bench}: the seeded workload at 1, 8 and 32 concurrent streams against (a) LocalEngine in this
 * JVM, (b) the whole platform started here on shifted ports and called through the gateway, (c) PyTorch eager
 * when model-tools' packages are present; one after the other, so no two compete for the cores. Prints a table,
 * writes {@code results/platform-bench.json} and {@code results/platform-bench.png}.
 */
public final class PlatformBench {

    static final int[] CONCURRENCY = {1, 8, 32};
    static final long SEED = 20261123L;
    static final int PORT_OFFSET = 20_000;
    /** Seconds of load at 32 streams each target gets before it is measured (see {@link Progress#warmUp}). */
    static final int WARM_UP_SECONDS = 30;
    static final String PLATFORM = "platform (gateway, 2 expert groups)";
    static final String ROUTER_DIRECT = "platform, router direct (no gateway)";

    private PlatformBench() {
    }

    /**
     * The serving processes of the platform (each service JVM, and redis-server where the machine's binary runs:
     * the embedded-redis fallback hides its pid) counted per token; this JVM, which
     * runs the load-generating clients and the embedded Kafka broker, is reported beside them but not counted.
     */
    private static CpuMeter platformCpu(Platform platform) {
        Map<String, Long> serving = new LinkedHashMap<>();
        platform.services().forEach(s -> serving.put(s.spec().name(), s.pid()));
        platform.redisPid().ifPresent(pid -> serving.put("redis-server", pid));
        return CpuMeter.of(serving, Map.of("bench JVM (clients + embedded Kafka)", ProcessHandle.current().pid()));
    }

    static int requestsAt(int concurrency) {
        return Math.max(16, 4 * concurrency);     // >= 4 per client: a p99 over more than one request each
    }

    public static void main(String[] args) throws IOException {
        Path bundle = Path.of(args.length > 0 ? args[0] : "models/dragon-moe-mini").toAbsolutePath();
        Path out = Path.of(args.length > 1 ? args[1] : "results").toAbsolutePath();
        Path root = Path.of("").toAbsolutePath();
        Files.createDirectories(out);
        int total = 0;
        for (int c : CONCURRENCY) {
            total += 3 * requestsAt(c);
        }
        total += 2 * requestsAt(8) + requestsAt(1);
        Progress progress = new Progress(total);
        List<LoadRunner.Summary> rows = new ArrayList<>();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("machine", dev.dragon.bench.report.Machine.describe());
        report.put("when", Instant.now().toString());
        report.put("workload", Map.of("seed", SEED, "max_tokens", Workload.MAX_TOKENS, "greedy", true,
                "ignore_eos", true, "requests_per_level", Map.of("1", requestsAt(1), "8", requestsAt(8),
                        "32", requestsAt(32))));

        try (LocalEngineTarget local = new LocalEngineTarget(bundle, 32, 2)) {
            progress.warmUp(local, SEED - 1, 32, WARM_UP_SECONDS);
            CpuMeter cpu = CpuMeter.self("bench JVM (LocalEngine + clients)");
            for (int c : CONCURRENCY) {
                rows.add(progress.run(local, Workload.of(requestsAt(c), SEED + c), c, cpu));
            }
            report.put("local_experts_per_token", local.expertsPerToken());
        }

        String key = "sk-dragon-bench-" + Long.toHexString(System.nanoTime());
        PlatformPlan plan = new PlatformPlan(new Ports(PORT_OFFSET), bundle, key, "bench-signing-key");
        progress.note("starting the platform (logs in " + out.resolve("platform-logs") + ")");
        try (Platform platform = Platform.start(plan, root, out.resolve("platform-run"), List.of(), 240, s -> { })) {
            String gateway = "http://127.0.0.1:" + plan.ports().gateway();
            String router = "http://127.0.0.1:" + plan.ports().router();
            CpuMeter cpu = platformCpu(platform);
            report.put("platform_processes", cpu.sample().keySet());
            try (HttpTarget uncached = new HttpTarget(PLATFORM, gateway, key, false)) {
                progress.warmUp(uncached, SEED - 1, 32, WARM_UP_SECONDS);
                for (int c : CONCURRENCY) {
                    rows.add(progress.run(uncached, Workload.of(requestsAt(c), SEED + c), c, cpu));
                }
            }
            // the same warm platform without the gateway hop: what the distributed decode path itself costs
            try (HttpTarget direct = new HttpTarget(ROUTER_DIRECT, router, key, false)) {
                for (int c : CONCURRENCY) {
                    rows.add(progress.run(direct, Workload.of(requestsAt(c), SEED + c), c, cpu));
                }
            }
            String m = Prometheus.scrape(router);
            report.put("platform_dispatch_share", Prometheus.sum(m, "dragon_dispatch_share", null).orElse(Double.NaN));
            report.put("platform_experts_per_token", Prometheus.sum(m, "dragon_experts_per_token", null).orElse(Double.NaN));
            try (HttpTarget cached = new HttpTarget("platform, response cache on", gateway, key, true)) {
                Workload w = Workload.of(requestsAt(8), SEED + 8);
                LoadRunner.Summary first = progress.run(cached, w, 8, cpu);
                Map<String, Long> firstCounts = cached.takeCacheCounts();
                LoadRunner.Summary again = progress.run(cached, w, 8, cpu);     // the same requests: all cacheable
                report.put("response_cache", Map.of("first_pass", first, "first_pass_x_dragon_cache", firstCounts,
                        "repeat_pass", again, "repeat_pass_x_dragon_cache", cached.takeCacheCounts()));
            }
            report.put("caches_at_router", CacheBench.run(router, progress));
            String after = Prometheus.scrape(router);
            double kvHits = Prometheus.sum(after, "dragon_cache_requests_total", "cache=\"kv\",result=\"hit\"").orElse(0);
            double kvAll = Prometheus.sum(after, "dragon_cache_requests_total", "cache=\"kv\"").orElse(0);
            report.put("kv_cache_hit_rate", kvAll == 0 ? null : kvHits / kvAll);
        }

        Path python = Path.of("/usr/bin/python3");
        if (EagerTarget.available(python)) {
            try (EagerTarget eager = new EagerTarget(python, root.resolve("model-tools"), bundle, 2)) {
                rows.add(progress.run(eager, Workload.of(requestsAt(1), SEED + 1), 1, CpuMeter.none()));
            }
        } else {
            report.put("pytorch_eager", "skipped: /usr/bin/python3 cannot import torch (apt-get install python3-torch)");
        }
        progress.done();

        report.put("rows", rows);
        report.put("ratios", Ratios.of(rows));
        System.out.println(Ratios.table(rows));
        System.out.println(Ratios.of(rows));
        JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValue(out.resolve("platform-bench.json").toFile(), report);
        Chart.write(rows, out.resolve("platform-bench.png"));
        System.out.println("wrote " + out.resolve("platform-bench.json") + " and " + out.resolve("platform-bench.png"));
    }
}
