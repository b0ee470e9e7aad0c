package dev.dragon.bench.load;

import dev.dragon.platform.Platform;
import dev.dragon.platform.PlatformPlan;
import dev.dragon.platform.Ports;
import dev.dragon.platform.Prometheus;
import dev.dragon.platform.ServiceProcess;
import dev.dragon.platform.ServiceSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./dragon bench}: the seeded workload at 1, 8 and 32 concurrent streams against (a) LocalEngine in this
 * JVM, (b) the whole platform started here on shifted ports, through the gateway and straight at the router,
 * with a same-run A/B of the router's micro-batch overlap (a second router over the same expert groups that
 * decodes as one micro-batch), (c) LocalEngine again, to bracket the host's drift, (d) PyTorch eager when
 * model-tools' packages are present; one after the other, so no two compete for the cores. Prints a table,
 * writes {@code results/platform-bench.json} and {@code results/platform-bench.png}.
 */
public final class PlatformBench {

    static final int[] CONCURRENCY = {1, 8, 32};
    static final long SEED = 20261123L;
    static final int PORT_OFFSET = 20_000;
    /** Seconds of load at 32 streams each target gets before it is measured (see {@link Progress#warmUp}). */
    static final int WARM_UP_SECONDS = 30;
    static final String LOCAL = "LocalEngine (in process)";
    static final String PLATFORM = "platform (gateway, 2 expert groups)";
    static final String ROUTER_DIRECT = "platform, router direct (no gateway)";
    static final String ONE_MICRO_BATCH = "A/B: router direct, one micro-batch (no overlap)";
    static final String LOCAL_AGAIN = "LocalEngine again, after the platform";

    private PlatformBench() {
    }

    /**
     * The serving processes of the platform (each service JVM, and redis-server where the machine's binary runs:
     * the embedded-redis fallback hides its pid) counted per token; this JVM, which
     * runs the load-generating clients and the embedded Kafka broker, is reported beside them but not counted.
     * {@code routerInstead}: the pid counted as the router (the A/B router's), or null for the platform's own.
     */
    private static CpuMeter platformCpu(Platform platform, Long routerInstead) {
        Map<String, Long> serving = new LinkedHashMap<>();
        platform.services().forEach(s -> serving.put(s.spec().name(), s.pid()));
        if (routerInstead != null) {                                        // the A/B router replaces the router
            serving.put("router", routerInstead);
        }
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
            total += 5 * requestsAt(c);
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

        // LocalEngine stays open (idle) while the platform runs, and is measured again after it: the two passes
        // bracket how much the shared host itself drifted during the run
        try (LocalEngineTarget local = new LocalEngineTarget(bundle, 32, 2)) {
            progress.warmUp(local, SEED - 1, 32, WARM_UP_SECONDS);
            CpuMeter localCpu = CpuMeter.self("bench JVM (LocalEngine + clients)");
            for (int c : CONCURRENCY) {
                rows.add(progress.run(local, Workload.of(requestsAt(c), SEED + c), c, localCpu));
            }
            report.put("local_experts_per_token", local.expertsPerToken());
            runPlatform(bundle, root, out, progress, rows, report);
            Target again = new Renamed(LOCAL_AGAIN, local);
            for (int c : CONCURRENCY) {
                rows.add(progress.run(again, Workload.of(requestsAt(c), SEED + c), c, localCpu));
            }
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
        if (report.get("decode_stages_table") instanceof String stages) {
            System.out.println();
            System.out.println("router decode step by stage (engine-thread ms per step) and dispatch calls:");
            System.out.println(stages);
        }
        System.out.println(Ratios.of(rows));
        JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValue(out.resolve("platform-bench.json").toFile(), report);
        Chart.write(rows, out.resolve("platform-bench.png"));
        System.out.println("wrote " + out.resolve("platform-bench.json") + " and " + out.resolve("platform-bench.png"));
    }

    /**
     * The platform started here on shifted ports: at each level through the gateway, then straight at the router,
     * then at a second router over the same expert groups that decodes as one micro-batch (no overlap) — a
     * same-run A/B of the micro-batch overlap — then the response and KV caches.
     */
    private static void runPlatform(Path bundle, Path root, Path out, Progress progress,
                                    List<LoadRunner.Summary> rows, Map<String, Object> report) {
        String key = "sk-dragon-bench-" + Long.toHexString(System.nanoTime());
        PlatformPlan plan = new PlatformPlan(new Ports(PORT_OFFSET), bundle, key, "bench-signing-key");
        progress.note("starting the platform (logs in " + out.resolve("platform-run").resolve("logs") + ")");
        try (Platform platform = Platform.start(plan, root, out.resolve("platform-run"), List.of(), 240, s -> { })) {
            String gateway = "http://127.0.0.1:" + plan.ports().gateway();
            String router = "http://127.0.0.1:" + plan.ports().router();
            // before anything else: the issue's request (12 + 30 prompt, 32 tokens)
            report.put("first_answers_after_ready", CacheBench.firstAnswers(gateway, key, 5, 32, platformCpu(platform, null)));
            int abPort = plan.ports().router() + 10;                       // no other service of the plan is there
            String singleBase = "http://127.0.0.1:" + abPort;
            ServiceSpec oneBatch = PlatformPlan.router("router-one-micro-batch", abPort, bundle, plan.expertGroups(),
                    List.of("--dragon.router.engine.micro-batches=1"));
            List<ServiceProcess> ab = Platform.startServices(Platform.Prerequisites.jars(List.of(oneBatch), root),
                    root, out.resolve("platform-run").resolve("logs"), List.of(),
                    System.nanoTime() + TimeUnit.SECONDS.toNanos(240), progress::note);
            try {
                CpuMeter cpu = platformCpu(platform, null);
                CpuMeter cpuOneBatch = platformCpu(platform, ab.getFirst().pid());
                report.put("platform_processes", cpu.sample().keySet());
                // each level runs the three targets back to back (through the gateway, straight at the router, the
                // one-micro-batch router) so that all three see the same warm state; measured one after the other
                // (the first level after a warm-up ran slower in every process, even ones the hop does not touch)
                try (HttpTarget uncached = new HttpTarget(PLATFORM, gateway, key, false);
                     HttpTarget direct = new HttpTarget(ROUTER_DIRECT, router, key, false);
                     HttpTarget single = new HttpTarget(ONE_MICRO_BATCH, singleBase, key, false)) {
                    progress.warmUp(uncached, SEED - 1, 32, WARM_UP_SECONDS);
                    progress.warmUp(single, SEED - 1, 32, WARM_UP_SECONDS);
                    Map<String, StageBreakdown> stages = new LinkedHashMap<>();
                    for (int c : CONCURRENCY) {
                        rows.add(progress.run(uncached, Workload.of(requestsAt(c), SEED + c), c, cpu));
                        String before = Prometheus.scrape(router);
                        rows.add(progress.run(direct, Workload.of(requestsAt(c), SEED + c), c, cpu));
                        stages.put("overlap on @" + c, StageBreakdown.between(before, Prometheus.scrape(router)));
                        before = Prometheus.scrape(singleBase);
                        rows.add(progress.run(single, Workload.of(requestsAt(c), SEED + c), c, cpuOneBatch));
                        stages.put("one micro-batch @" + c, StageBreakdown.between(before, Prometheus.scrape(singleBase)));
                    }
                    report.put("decode_stages", stages);
                    report.put("decode_stages_table", StageBreakdown.table(stages));
                }
            } finally {
                ab.forEach(ServiceProcess::close);
            }
            String m = Prometheus.scrape(router);
            report.put("platform_dispatch_share", Prometheus.sum(m, "dragon_dispatch_share", null).orElse(Double.NaN));
            report.put("platform_experts_per_token", Prometheus.sum(m, "dragon_experts_per_token", null).orElse(Double.NaN));
            try (HttpTarget cached = new HttpTarget("platform, response cache on", gateway, key, true)) {
                Workload w = Workload.of(requestsAt(8), SEED + 8);
                LoadRunner.Summary first = progress.run(cached, w, 8, platformCpu(platform, null));
                Map<String, Long> firstCounts = cached.takeCacheCounts();
                LoadRunner.Summary again = progress.run(cached, w, 8, platformCpu(platform, null)); // all cacheable
                report.put("response_cache", Map.of("first_pass", first, "first_pass_x_dragon_cache", firstCounts,
                        "repeat_pass", again, "repeat_pass_x_dragon_cache", cached.takeCacheCounts()));
            }
            report.put("caches_at_router", CacheBench.run(router, gateway, key, progress));
            String after = Prometheus.scrape(router);
            double kvHits = Prometheus.sum(after, "dragon_cache_requests_total", "cache=\"kv\",result=\"hit\"").orElse(0);
            double kvAll = Prometheus.sum(after, "dragon_cache_requests_total", "cache=\"kv\"").orElse(0);
            report.put("kv_cache_hit_rate", kvAll == 0 ? null : kvHits / kvAll);
        }
    }

    /** A target measured under another name (LocalEngine's second pass). */
    private record Renamed(String name, Target target) implements Target {
        @Override
        public Outcome run(Workload.Request request) {
            return target.run(request);
        }

        @Override
        public void close() {
        }
    }
}
