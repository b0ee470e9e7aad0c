package dev.dragon.gateway.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.dragon.gateway.GatewayApplication;
import dev.dragon.gateway.admin.AdminServer;
import dev.dragon.gateway.bench.LoadGenerator.Kind;
import dev.dragon.gateway.bench.LoadGenerator.Path;
import dev.dragon.gateway.bench.LoadGenerator.Result;
import dev.dragon.gateway.testing.EmbeddedRedis;
import dev.dragon.gateway.testing.FakeRouter;
import dev.dragon.gateway.testing.Http;
import dev.dragon.gateway.testing.RedisStats;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Added latency and CPU of the gateway, for a small JSON answer and for a long SSE stream. Per body kind:
 * the same request sent at a fixed rate, alternately straight to the upstream and through the gateway, in the
 * same run (p50/p90/p99 of both and the difference; a stream is timed to its last byte); then, when the
 * gateway runs in-process, a CPU phase: the same rate straight to the upstream only, then through the gateway
 * only, with the process's CPU time and the Redis server's commands and CPU counted in each, so that the
 * difference is the gateway's CPU per request. Not a test (it measures speed); run it from the module
 * directory after {@code ./mvnw -pl gateway-service test-compile}:
 * <pre>
 *   java -cp target/test-classes:target/classes:$(cat target/test.classpath) \
 *       dev.dragon.gateway.bench.GatewayLatencyBenchmark [--upstream=http://localhost:8081] \
 *       [--gateway=http://localhost:8080 --key=dgn_... [--redis-port=6379]] [--rate=200] [--seconds=30]
 *       [--warmup=5] [--warmup-requests=20000] [--kinds=json,sse] [--chunks=64] [--cpu-seconds=10] [--stages=auth=-499,...]
 *       [--gateway-args=--name=value;--name=value]
 * </pre>
 * (the classpath file from {@code ./mvnw -pl gateway-service dependency:build-classpath
 * -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test}). Without {@code --upstream} a
 * {@link FakeRouter} answers in-process at once (a stream: {@code chunks} content events plus the role and the
 * finish event, each flushed on its own: 66 events by default); without {@code --gateway} a gateway is booted
 * in-process with an embedded Redis and a key of its own. Against a real router the request is deterministic
 * (temperature 0, fixed seed), so after the first one every answer is a response-cache hit and the model does
 * not dominate. With the gateway in-process, the CPU phase also reports {@link StageProbe}'s wall-clock gaps
 * between the filter orders named by {@code --stages} ({@code name=order}, {@code last} = just before the
 * proxy hop; each gap is named by the point it ends at), and {@code --gateway-args} adds settings to it.
 */
public final class GatewayLatencyBenchmark {

    private static final String ADMIN_TOKEN = "bench-admin-token";

    /** The filter orders of the gateway's own stages: authentication, limits, body, then the proxy hop. */
    private static final String STAGES = "routed=-501,auth=-499,known-refusals=-399,body=-299,limits=-199,proxy=last";

    private GatewayLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int rate = Integer.parseInt(options.getOrDefault("rate", "200"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "30"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "5"));
        int cpuSeconds = Integer.parseInt(options.getOrDefault("cpu-seconds", "10"));
        int warmupRequests = Integer.parseInt(options.getOrDefault("warmup-requests", "20000"));
        List<Kind> kinds = Arrays.stream(options.getOrDefault("kinds", "json,sse").split(","))
                .map(k -> Kind.valueOf(k.strip().toUpperCase(Locale.ROOT))).toList();

        FakeRouter fake = options.containsKey("upstream") ? null : FakeRouter.started();
        if (fake != null) {
            fake.streamChunks(Integer.parseInt(options.getOrDefault("chunks", "64")));
        }
        URI upstream = fake != null ? fake.uri() : URI.create(options.get("upstream"));
        EmbeddedRedis redis = null;
        ConfigurableApplicationContext gateway = null;
        URI gatewayUri;
        String key;
        Integer redisPort = options.containsKey("redis-port") ? Integer.valueOf(options.get("redis-port")) : null;
        StageProbe probe = null;
        if (options.containsKey("gateway")) {
            gatewayUri = URI.create(options.get("gateway"));
            key = options.get("key");
        } else {
            redis = EmbeddedRedis.started();
            redisPort = redis.port();
            probe = new StageProbe(List.of(options.getOrDefault("stages", STAGES).split(",")));
            List<String> extra = options.containsKey("gateway-args")
                    ? List.of(options.get("gateway-args").split(";")) : List.of();
            gateway = bootGateway(redis, upstream, rate, probe, extra);
            gatewayUri = URI.create("http://localhost:" + gateway.getEnvironment().getProperty("local.server.port"));
            key = createKey(gateway.getBean(AdminServer.class).port());
            if (options.containsKey("xp-no-ctx")) {
                reactor.core.publisher.Hooks.disableAutomaticContextPropagation();
            }
        }
        try {
            for (Kind kind : kinds) {
                System.out.printf(Locale.ROOT, "%n%s: upstream %s, gateway %s, %d req/s for %d s (+%d s warm-up), "
                        + "path alternating%n", kind, upstream, gatewayUri, rate, seconds, warmup);
                if (warmupRequests > 0) {
                    long t = System.nanoTime();
                    int errors = LoadGenerator.warm(kind, upstream, gatewayUri, key, warmupRequests);
                    System.out.printf(Locale.ROOT, "JIT warm-up: %d requests, closed loop, in %.1f s, %d errors%n",
                            warmupRequests, (System.nanoTime() - t) / 1e9, errors);
                }
                LoadGenerator.run(kind, Path.ALTERNATE, upstream, gatewayUri, key, rate, warmup);
                System.out.println(
                        LoadGenerator.run(kind, Path.ALTERNATE, upstream, gatewayUri, key, rate, seconds).report());
                if (options.containsKey("xp-ctx-ab")) {
                    for (int r = 0; r < Integer.parseInt(options.get("xp-ctx-ab")); r++) {
                        for (boolean on : new boolean[] {true, false}) {
                            if (on) reactor.core.publisher.Hooks.enableAutomaticContextPropagation();
                            else reactor.core.publisher.Hooks.disableAutomaticContextPropagation();
                            long t0 = gatewayThreadsCpu();
                            Result res = LoadGenerator.run(kind, Path.GATEWAY, upstream, gatewayUri, key, rate, 10);
                            long t1 = gatewayThreadsCpu();
                            long[] g = res.viaGateway().stream().mapToLong(Long::longValue).sorted().toArray();
                            System.out.printf(Locale.ROOT, "XP ctx=%s threads %d us/request p50 %.3f ms%n", on,
                                    (t1 - t0) / 1000 / g.length, g[g.length / 2] / 1000.0);
                        }
                    }
                    reactor.core.publisher.Hooks.enableAutomaticContextPropagation();
                }
                if (cpuSeconds > 0) {
                    if (probe != null) {
                        probe.reset();
                    }
                    System.out.println(cpu(kind, upstream, gatewayUri, key, rate, cpuSeconds, gateway != null, redisPort));
                    if (probe != null) {
                        System.out.println(probe.report());
                    }
                }
            }
        } finally {
            if (gateway != null) {
                gateway.close();
            }
            if (redis != null) {
                redis.stop();
            }
            if (fake != null) {
                fake.stop();
            }
        }
    }

    /**
     * Direct only, then through the gateway only, at the same rate: CPU per request of this process (only
     * meaningful with the gateway in it) and of Redis, and Redis commands per request through the gateway.
     */
    static String cpu(Kind kind, URI upstream, URI gateway, String key, int rate, int seconds, boolean inProcess,
                      Integer redisPort) throws Exception {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long threads0 = gatewayThreadsCpu();
        Result direct = LoadGenerator.run(kind, Path.DIRECT, upstream, gateway, key, rate, seconds);
        long cpu1 = os.getProcessCpuTime();
        long threads1 = gatewayThreadsCpu();
        RedisStats before = redisPort == null ? null : RedisStats.of(redisPort);
        Result via = LoadGenerator.run(kind, Path.GATEWAY, upstream, gateway, key, rate, seconds);
        long cpu2 = os.getProcessCpuTime();
        long threads2 = gatewayThreadsCpu();
        RedisStats after = redisPort == null ? null : RedisStats.of(redisPort);
        int n = Math.max(1, via.viaGateway().size());
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "cpu phase (%d s each way, %d + %d requests, errors %d):", seconds, direct.direct().size(),
                via.viaGateway().size(), direct.errors() + via.errors()));
        if (inProcess) {
            double directUs = (cpu1 - cpu0) / 1000.0 / Math.max(1, direct.direct().size());
            double viaUs = (cpu2 - cpu1) / 1000.0 / n;
            double threadsUs = ((threads2 - threads1) - (threads1 - threads0)) / 1000.0 / n;
            sb.append(String.format(Locale.ROOT, " gateway threads %.0f us CPU/request; process CPU/request direct "
                    + "%.0f us, via gateway %.0f us, difference %.0f us (JIT and GC included);", threadsUs, directUs,
                    viaUs, viaUs - directUs));
        }
        if (after != null) {
            sb.append(String.format(Locale.ROOT, " Redis per gateway request: %.2f commands (%.2f scripts), "
                            + "%.0f us CPU", after.allCallsSince(before) / (double) n,
                    after.scriptCallsSince(before) / (double) n, (after.cpuSeconds() - before.cpuSeconds()) * 1e6 / n))
                    .append(" [").append(after.breakdownSince(before)).append(']');
        }
        return sb.toString();
    }

    /**
     * CPU time of the threads that do the gateway's work: Reactor Netty's event loops (the public server and
     * the client to the upstream; {@link FakeRouter} has a loop of its own), Lettuce's and Reactor's schedulers.
     * The load generator's threads, the JIT and the GC are not in it.
     */
    static long gatewayThreadsCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            if (name.startsWith("reactor-") || name.startsWith("lettuce-") || name.startsWith("parallel-")
                    || name.startsWith("boundedElastic-")) {
                sum += Math.max(0, mx.getThreadCpuTime(t.threadId()));
            }
        }
        return sum;
    }

    /** Settings go in as command-line arguments: they must win over application.yaml (default properties do not). */
    private static ConfigurableApplicationContext bootGateway(EmbeddedRedis redis, URI upstream, int rate,
                                                              StageProbe probe, List<String> extra) {
        String perMinute = Integer.toString(rate * 60 * 4);
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0", "--management.server.port=" + EmbeddedRedis.freePort(),
                "--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + redis.port(),
                "--dragon.gateway.admin.port=0", "--dragon.gateway.admin.token=" + ADMIN_TOKEN,
                "--dragon.gateway.upstream.uris=" + upstream,
                "--dragon.gateway.default-plan.requests-per-minute=" + perMinute,
                "--dragon.gateway.default-plan.tokens-per-minute=" + (Integer.parseInt(perMinute) * 200),
                "--logging.level.root=WARN"));
        args.addAll(extra);
        return new SpringApplicationBuilder(GatewayApplication.class).initializers(probe::install)
                .run(args.toArray(String[]::new));
    }

    private static String createKey(int adminPort) {
        HttpResponse<String> created = Http.send(Http.to(adminPort, "/admin/tenants/bench/keys")
                .header("Authorization", "Bearer " + ADMIN_TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("no key: " + created.body());
        }
        return Http.json(created).path("key").asString();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("expected --name=value, got " + arg);
            }
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        return options;
    }
}
