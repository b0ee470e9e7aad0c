package dev.dragon.gateway.bench;

import dev.dragon.gateway.GatewayApplication;
import dev.dragon.gateway.admin.AdminServer;
import dev.dragon.gateway.testing.EmbeddedRedis;
import dev.dragon.gateway.testing.FakeRouter;
import dev.dragon.gateway.testing.Http;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Added latency of the gateway: the same request sent at a fixed rate, alternately straight to the upstream
 * and through the gateway, in the same run; reports p50/p90/p99 of both and the difference. Not a test (it
 * measures speed); run it from the module directory after {@code ./mvnw -pl gateway-service test-compile}:
 * <pre>
 *   java -cp target/test-classes:target/classes:$(cat target/test.classpath) \
 *       dev.dragon.gateway.bench.GatewayLatencyBenchmark [--upstream=http://localhost:8081] \
 *       [--gateway=http://localhost:8080 --key=dgn_...] [--rate=200] [--seconds=30] [--warmup=5]
 * </pre>
 * (the classpath file from {@code ./mvnw -pl gateway-service dependency:build-classpath
 * -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test}). Without {@code --upstream} a
 * {@link FakeRouter} answers in-process; without {@code --gateway} a gateway is booted in-process with an
 * embedded Redis and a key of its own. Against a real router the request is deterministic (temperature 0,
 * fixed seed), so after the first one every answer is a response-cache hit and the model does not dominate.
 */
public final class GatewayLatencyBenchmark {

    private static final String BODY = "{\"model\":\"dragon-moe-mini\",\"messages\":[{\"role\":\"user\",\"content\":"
            + "\"What is a dragon?\"}],\"max_tokens\":16,\"temperature\":0,\"seed\":7}";

    private static final String ADMIN_TOKEN = "bench-admin-token";

    private GatewayLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int rate = Integer.parseInt(options.getOrDefault("rate", "200"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "30"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "5"));

        FakeRouter fake = options.containsKey("upstream") ? null : FakeRouter.started();
        URI upstream = fake != null ? fake.uri() : URI.create(options.get("upstream"));
        EmbeddedRedis redis = null;
        ConfigurableApplicationContext gateway = null;
        URI gatewayUri;
        String key;
        if (options.containsKey("gateway")) {
            gatewayUri = URI.create(options.get("gateway"));
            key = options.get("key");
        } else {
            redis = EmbeddedRedis.started();
            gateway = bootGateway(redis, upstream, rate);
            gatewayUri = URI.create("http://localhost:" + gateway.getEnvironment().getProperty("local.server.port"));
            key = createKey(gateway.getBean(AdminServer.class).port());
        }
        try {
            System.out.printf(Locale.ROOT, "upstream %s, gateway %s, %d req/s for %d s (+%d s warm-up), path alternating%n",
                    upstream, gatewayUri, rate, seconds, warmup);
            run(upstream, gatewayUri, key, rate, warmup);
            Result result = run(upstream, gatewayUri, key, rate, seconds);
            System.out.println(result.report());
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

    /** Latencies of one run, in microseconds, per path. */
    record Result(List<Long> direct, List<Long> viaGateway, int errors) {

        String report() {
            long[] d = sorted(direct);
            long[] g = sorted(viaGateway);
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "| path | n | p50 ms | p90 ms | p99 ms |%n|---|---|---|---|---|%n"));
            sb.append(row("direct", d)).append(row("via gateway", g));
            sb.append(String.format(Locale.ROOT, "| added | | %.3f | %.3f | %.3f |%n", ms(p(g, 50) - p(d, 50)),
                    ms(p(g, 90) - p(d, 90)), ms(p(g, 99) - p(d, 99))));
            sb.append("errors: ").append(errors);
            return sb.toString();
        }

        private static String row(String name, long[] v) {
            return String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f |%n", name, v.length, ms(p(v, 50)),
                    ms(p(v, 90)), ms(p(v, 99)));
        }

        private static long[] sorted(List<Long> values) {
            return values.stream().mapToLong(Long::longValue).sorted().toArray();
        }

        private static long p(long[] sorted, int percentile) {
            return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
        }

        private static double ms(long micros) {
            return micros / 1000.0;
        }
    }

    /** Open loop: request i starts at i / rate seconds whatever happened to the earlier ones. */
    static Result run(URI upstream, URI gateway, String key, int rate, int seconds) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(4)).build();
        ConcurrentLinkedQueue<Long> direct = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> viaGateway = new ConcurrentLinkedQueue<>();
        AtomicInteger errors = new AtomicInteger();
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        long periodNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        for (int i = 0; i < rate * seconds; i++) {
            long due = start + i * periodNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            boolean throughGateway = i % 2 == 1;
            HttpRequest.Builder request = HttpRequest.newBuilder((throughGateway ? gateway : upstream)
                            .resolve("/v1/chat/completions"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(BODY));
            if (throughGateway) {
                request.header("Authorization", "Bearer " + key);
            } else {
                request.header("x-dragon-tenant", "bench");
            }
            long sent = System.nanoTime();
            inFlight.add(client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                    .whenComplete((response, failure) -> {
                        long micros = (System.nanoTime() - sent) / 1000;
                        if (failure != null || response.statusCode() != 200) {
                            errors.incrementAndGet();
                        } else {
                            (throughGateway ? viaGateway : direct).add(micros);
                        }
                    }));
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).exceptionally(e -> null)
                .get(2, TimeUnit.MINUTES);
        return new Result(new ArrayList<>(direct), new ArrayList<>(viaGateway), errors.get());
    }

    /** Settings go in as command-line arguments: they must win over application.yaml (default properties do not). */
    private static ConfigurableApplicationContext bootGateway(EmbeddedRedis redis, URI upstream, int rate) {
        String perMinute = Integer.toString(rate * 60 * 4);
        return new SpringApplicationBuilder(GatewayApplication.class).run(
                "--server.port=0", "--management.server.port=" + EmbeddedRedis.freePort(),
                "--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + redis.port(),
                "--dragon.gateway.admin.port=0", "--dragon.gateway.admin.token=" + ADMIN_TOKEN,
                "--dragon.gateway.upstream.uris=" + upstream,
                "--dragon.gateway.default-plan.requests-per-minute=" + perMinute,
                "--dragon.gateway.default-plan.tokens-per-minute=" + (Integer.parseInt(perMinute) * 200),
                "--logging.level.root=WARN");
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
