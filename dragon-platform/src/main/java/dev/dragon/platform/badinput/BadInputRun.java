package dev.dragon.platform.badinput;

import dev.dragon.platform.Prometheus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/**
 * Sends {@code count} generated malformed requests (and, every {@code abuseEvery}-th one, a misbehaving
 * transport-level client) to the gateway with {@code concurrency} workers, watches the services' readiness while
 * it runs, and compares router slots, threads and direct memory before and after.
 */
public final class BadInputRun {

    /**
     * @param gateway    gateway base URL ({@code http://127.0.0.1:8080})
     * @param apiKey     a tenant key whose plan does not rate-limit the run
     * @param health     readiness URLs polled every 500 ms during the run
     * @param services   actuator base URLs whose threads / direct memory are compared ({@code name → base})
     * @param routers    router base URLs whose running/waiting gauges must return to baseline
     */
    public record Target(String gateway, String apiKey, List<String> health, Map<String, String> services,
                         List<String> routers) {
    }

    /** Per-service resource readings. */
    public record Resources(double threads, double directBytes) {
    }

    /**
     * The outcome.
     *
     * @param sent          malformed requests sent
     * @param byCategory    requests per category
     * @param byStatus      responses per HTTP status (0 = no response)
     * @param not4xx        up to 20 requests answered with anything but a 4xx (request → status and body)
     * @param badBodies     up to 20 4xx answers whose body was not {@code {"error":{message,type,param,code}}}
     * @param not4xxCount   how many were not answered with a 4xx
     * @param not4xxByCategory those, per category
     * @param badBodyCount  how many 4xx bodies were malformed
     * @param abusive       misbehaving clients run, by kind
     * @param healthFailures readiness polls that did not answer 200
     * @param slotsAfter    router sequences running + waiting once the run settled (baseline 0)
     * @param before        resources before the run, by service
     * @param after         resources after the run settled, by service
     */
    public record Report(int sent, Map<String, Integer> byCategory, Map<Integer, Integer> byStatus, List<String> not4xx,
                         List<String> badBodies, int not4xxCount, Map<String, Integer> not4xxByCategory,
                         int badBodyCount, Map<String, Integer> abusive,
                         int healthFailures, double slotsAfter, Map<String, Resources> before,
                         Map<String, Resources> after) {
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Target target;

    public BadInputRun(Target target) {
        this.target = target;
    }

    public Report run(long seed, int count, int concurrency, int abuseEvery) throws InterruptedException {
        Map<String, Resources> before = resources();
        BadInputGenerator generator = new BadInputGenerator(seed);
        URI gw = URI.create(target.gateway());
        AbusiveClients abusive = new AbusiveClients(gw.getHost(), gw.getPort(), target.apiKey());
        Map<String, Integer> byCategory = new ConcurrentHashMap<>();
        Map<Integer, Integer> byStatus = new ConcurrentHashMap<>();
        Map<String, Integer> abuse = new ConcurrentHashMap<>();
        Map<String, Integer> not4xxByCategory = new ConcurrentHashMap<>();
        List<String> not4xx = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> badBodies = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger not4xxCount = new AtomicInteger();
        AtomicInteger badBodyCount = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger healthFailures = new AtomicInteger();
        Thread watcher = Thread.ofVirtual().start(() -> watchHealth(healthFailures));
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            Random r = new Random(seed + 1 + w);
            workers.add(Thread.ofVirtual().start(() -> {
                int i;
                while ((i = next.getAndIncrement()) < count) {
                    if (abuseEvery > 0 && i % abuseEvery == abuseEvery - 1) {
                        String kind = AbusiveClients.KINDS.get(r.nextInt(AbusiveClients.KINDS.size()));
                        abusive.run(kind, r);
                        abuse.merge(kind, 1, Integer::sum);
                    }
                    BadRequest req;
                    synchronized (generator) {
                        req = generator.next();
                    }
                    byCategory.merge(req.category(), 1, Integer::sum);
                    Answer a = send(req);
                    byStatus.merge(a.status(), 1, Integer::sum);
                    if (a.status() < 400 || a.status() > 499) {
                        not4xxCount.incrementAndGet();
                        if (not4xxByCategory.merge(req.category(), 1, Integer::sum) <= 3) {   // samples of each
                            addSample(not4xx, req + " → " + a.status() + " " + a.body());
                        }
                    } else if (!isOpenAiError(a.body())) {
                        badBodyCount.incrementAndGet();
                        addSample(badBodies, req + " → " + a.status() + " " + a.body());
                    }
                }
            }));
        }
        for (Thread t : workers) {
            t.join();
        }
        double slots = awaitSlotsFree();
        watcher.interrupt();
        watcher.join();
        return new Report(count, new TreeMap<>(byCategory), new TreeMap<>(byStatus), List.copyOf(not4xx),
                List.copyOf(badBodies), not4xxCount.get(), new TreeMap<>(not4xxByCategory), badBodyCount.get(),
                new TreeMap<>(abuse),
                healthFailures.get(), slots, before, resources());
    }

    private record Answer(int status, String body) {
    }

    private Answer send(BadRequest req) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target.gateway() + req.path()))
                .timeout(Duration.ofSeconds(60))
                .method(req.method(), req.body().length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(req.body()));
        if (req.contentType() != null) {
            b.header("Content-Type", req.contentType());
        }
        if (req.apiKey()) {
            b.header("Authorization", "Bearer " + target.apiKey());
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Answer(0, "no response: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "interrupted");
        }
    }

    /** {@code {"error":{"message":string,"type":string,"param":..., "code":...}}} with all four keys present. */
    public static boolean isOpenAiError(String body) {
        try {
            JsonNode e = BadInputGenerator.JSON.readTree(body).path("error");
            return e.isObject() && e.path("message").isString() && !e.path("message").asString().isBlank()
                    && e.path("type").isString() && e.has("param") && e.has("code");
        } catch (RuntimeException ex) {
            return false;
        }
    }

    private static void addSample(List<String> samples, String s) {
        if (samples.size() < 20) {
            samples.add(s.length() > 400 ? s.substring(0, 400) + "…" : s);
        }
    }

    private void watchHealth(AtomicInteger failures) {
        while (!Thread.currentThread().isInterrupted()) {
            for (String url : target.health()) {
                try {
                    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                            .build(), HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() != 200) {
                        failures.incrementAndGet();
                    }
                } catch (IOException e) {
                    failures.incrementAndGet();
                } catch (InterruptedException e) {
                    return;
                }
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Waits (≤ 60 s) until no router holds or queues a sequence; returns what is left. */
    private double awaitSlotsFree() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        double slots;
        while ((slots = slots()) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        return slots;
    }

    private double slots() {
        double s = 0;
        for (String r : target.routers()) {
            String text = Prometheus.scrape(r);
            s += Prometheus.sum(text, "dragon_sequences_running", null).orElse(0)
                    + Prometheus.sum(text, "dragon_sequences_waiting", null).orElse(0);
        }
        return s;
    }

    private Map<String, Resources> resources() {
        Map<String, Resources> m = new TreeMap<>();
        target.services().forEach((name, base) -> {
            String text = Prometheus.scrape(base);
            m.put(name, new Resources(Prometheus.sum(text, "jvm_threads_live_threads", null).orElse(Double.NaN),
                    Prometheus.sum(text, "jvm_buffer_memory_used_bytes", "id=\"direct\"").orElse(Double.NaN)));
        });
        return m;
    }
}
