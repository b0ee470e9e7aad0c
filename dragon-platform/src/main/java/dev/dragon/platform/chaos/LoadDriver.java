package dev.dragon.platform.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * A steady closed loop of {@code streams} clients, each sending one streaming chat completion through the gateway
 * after the other (unique prompts, so no response-cache hits) and, for every {@code feedbackEvery}-th served
 * stream, a feedback call for its response id. Every request becomes an {@link Outcome}.
 */
public final class LoadDriver implements AutoCloseable {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String gateway;
    private final String apiKey;
    private final int maxTokens;
    private final int feedbackEvery;
    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private final List<Thread> clients = new ArrayList<>();
    private volatile boolean running;

    public LoadDriver(String gatewayBase, String apiKey, int maxTokens, int feedbackEvery) {
        this.gateway = gatewayBase;
        this.apiKey = apiKey;
        this.maxTokens = maxTokens;
        this.feedbackEvery = feedbackEvery;
    }

    /** Starts {@code streams} clients (virtual threads). */
    public void start(int streams) {
        running = true;
        for (int i = 0; i < streams; i++) {
            clients.add(Thread.ofVirtual().name("chaos-client-" + i).start(this::loop));
        }
    }

    private void loop() {
        while (running) {
            long n = sequence.incrementAndGet();
            Outcome o = stream(n);
            outcomes.add(o);
            if (o.ok() && feedbackEvery > 0 && n % feedbackEvery == 0) {
                outcomes.add(feedback(o.responseId()));
            }
        }
    }

    private Outcome stream(long n) {
        long t0 = System.nanoTime();
        String body = GatewayAdmin.JSON.writeValueAsString(Map.of("model", "dragon-moe-mini", "stream", true,
                "max_tokens", maxTokens, "temperature", 0.8, "dragon", Map.of("ignore_eos", true),
                "messages", List.of(Map.of("role", "user", "content", "Chaos request " + n + ": tell me a fortune."))));
        try {
            HttpResponse<Stream<String>> r = http.send(request("/v1/chat/completions", body),
                    HttpResponse.BodyHandlers.ofLines());
            if (r.statusCode() != 200) {
                String text = r.body().collect(Collectors.joining("\n"));
                return new Outcome("stream", t0, System.nanoTime(), false, r.statusCode(), text, null);
            }
            String id = null;
            boolean done = false;
            Iterator<String> lines = r.body().iterator();
            while (lines.hasNext()) {
                String line = lines.next();
                if (!line.startsWith("data: ")) {
                    continue;
                }
                String data = line.substring(6);
                if (data.equals("[DONE]")) {
                    done = true;
                    break;
                }
                JsonNode chunk = GatewayAdmin.JSON.readTree(data);
                if (chunk.has("error")) {
                    drain(lines);
                    return new Outcome("stream", t0, System.nanoTime(), false, 200, "error event: " + data, id);
                }
                if (id == null) {
                    id = chunk.path("id").asString(null);
                }
            }
            return new Outcome("stream", t0, System.nanoTime(), done, 200, done ? "" : "stream ended without [DONE]", id);
        } catch (IOException | RuntimeException e) {
            return new Outcome("stream", t0, System.nanoTime(), false, 0, e.toString(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome("stream", t0, System.nanoTime(), false, 0, "interrupted", null);
        }
    }

    private static void drain(Iterator<String> lines) {
        while (lines.hasNext()) {
            lines.next();
        }
    }

    private Outcome feedback(String responseId) {
        long t0 = System.nanoTime();
        String body = GatewayAdmin.JSON.writeValueAsString(Map.of("response_id", responseId, "rating", 1));
        try {
            HttpResponse<String> r = http.send(request("/v1/feedback", body), HttpResponse.BodyHandlers.ofString());
            boolean ok = r.statusCode() == 202;
            return new Outcome("feedback", t0, System.nanoTime(), ok, r.statusCode(), ok ? "" : r.body(), responseId);
        } catch (IOException e) {
            return new Outcome("feedback", t0, System.nanoTime(), false, 0, e.toString(), responseId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome("feedback", t0, System.nanoTime(), false, 0, "interrupted", responseId);
        }
    }

    private HttpRequest request(String path, String body) {
        return HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofMinutes(3))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + apiKey)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** Every outcome so far. */
    public List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    /** Stops sending; waits for the requests in flight to end. */
    @Override
    public void close() {
        running = false;
        for (Thread t : clients) {
            try {
                t.join(Duration.ofMinutes(3));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
