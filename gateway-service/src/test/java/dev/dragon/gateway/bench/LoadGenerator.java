package dev.dragon.gateway.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The load {@link GatewayLatencyBenchmark} sends: the same completion request, open loop or closed loop. */
final class LoadGenerator {

    /** What is asked for: a small JSON completion, or the same as a stream. */
    enum Kind {
        JSON(16, false), SSE(64, true);

        final int maxTokens;
        final boolean stream;

        Kind(int maxTokens, boolean stream) {
            this.maxTokens = maxTokens;
            this.stream = stream;
        }

        String body() {
            return "{\"model\":\"dragon-moe-mini\",\"messages\":[{\"role\":\"user\",\"content\":"
                    + "\"What is a dragon?\"}],\"max_tokens\":" + maxTokens + ",\"temperature\":0,\"seed\":7"
                    + (stream ? ",\"stream\":true" : "") + "}";
        }
    }

    /** Which way requests go: alternating, or all one way (the CPU phases). */
    enum Path { ALTERNATE, DIRECT, GATEWAY }

    private LoadGenerator() {
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

    /**
     * As fast as four clients in a loop can go, alternating paths: enough calls of every method on the request
     * path for the JIT to have compiled it fully (an open-loop warm-up at a modest rate leaves much of a Spring
     * request path interpreted or in C1 for minutes, which then dominates the CPU figures). Returns errors.
     */
    static int warm(Kind kind, URI upstream, URI gateway, String key, int requests) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(4);
             ExecutorService loopThreads = Executors.newFixedThreadPool(4);
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(pool).build()) {
            AtomicInteger next = new AtomicInteger();
            AtomicInteger errors = new AtomicInteger();
            List<CompletableFuture<?>> loops = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                loops.add(CompletableFuture.runAsync(() -> {
                    for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                        try {
                            HttpResponse<byte[]> r = client.send(request(kind, i % 2 == 1, upstream, gateway, key),
                                    HttpResponse.BodyHandlers.ofByteArray());
                            if (r.statusCode() != 200) {
                                errors.incrementAndGet();
                            }
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                    }
                }, loopThreads));
            }
            CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
            return errors.get();
        }
    }

    private static HttpRequest request(Kind kind, boolean throughGateway, URI upstream, URI gateway, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder((throughGateway ? gateway : upstream)
                        .resolve("/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(kind.body()));
        if (throughGateway) {
            request.header("Authorization", "Bearer " + key);
        } else {
            request.header("x-dragon-tenant", "bench");
        }
        return request.build();
    }

    /** Open loop: request i starts at i / rate seconds whatever happened to the earlier ones. */
    static Result run(Kind kind, Path path, URI upstream, URI gateway, String key, int rate, int seconds)
            throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(4);
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(pool).build()) {
            return run(client, kind, path, upstream, gateway, key, rate, seconds);
        }
    }

    private static Result run(HttpClient client, Kind kind, Path path, URI upstream, URI gateway, String key,
                              int rate, int seconds) throws Exception {
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
            boolean throughGateway = path == Path.GATEWAY || path == Path.ALTERNATE && i % 2 == 1;
            long sent = System.nanoTime();
            inFlight.add(client.sendAsync(request(kind, throughGateway, upstream, gateway, key),
                            HttpResponse.BodyHandlers.ofByteArray())
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
}
