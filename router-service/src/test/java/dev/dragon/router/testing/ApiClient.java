package dev.dragon.router.testing;

import dev.dragon.contracts.openai.OpenAiJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/** A plain HTTP/1.1 client for the router's API on a local port, with JSON and SSE helpers. */
public final class ApiClient {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30)).build();
    private final OpenAiJson json = new OpenAiJson();
    private final int port;

    public ApiClient(int port) {
        this.port = port;
    }

    public HttpResponse<String> post(String path, String body, String... headers) {
        return join(postAsync(path, body, headers));
    }

    public CompletableFuture<HttpResponse<String>> postAsync(String path, String body, String... headers) {
        HttpRequest.Builder b = request(path).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A streamed response, read line by line as it arrives (the lines of an SSE body). */
    public HttpResponse<Stream<String>> postLines(String path, String body) {
        return join(http.sendAsync(request(path).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofLines()));
    }

    public HttpResponse<String> get(String path) {
        return join(http.sendAsync(request(path).GET().build(), HttpResponse.BodyHandlers.ofString()));
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        return join(http.sendAsync(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()));
    }

    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(TIMEOUT);
    }

    public JsonNode json(String body) {
        return json.mapper().readTree(body);
    }

    public String write(Object value) {
        return json.writeString(value);
    }

    /**
     * The payloads of an SSE body, checking OpenAI's framing on the way: the body is nothing but
     * {@code data: <payload>\n\n} frames.
     */
    public static List<String> sseFrames(String body) {
        List<String> frames = new ArrayList<>();
        int at = 0;
        while (at < body.length()) {
            if (!body.startsWith("data: ", at)) {
                throw new AssertionError("expected 'data: ' at offset " + at + " of:\n" + body);
            }
            int end = body.indexOf("\n\n", at);
            if (end < 0) {
                throw new AssertionError("unterminated frame at offset " + at + " of:\n" + body);
            }
            String payload = body.substring(at + 6, end);
            if (payload.contains("\n")) {
                throw new AssertionError("a frame spans several lines: " + payload);
            }
            frames.add(payload);
            at = end + 2;
        }
        return frames;
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("HTTP call failed", e);
        }
    }
}
