package dev.dragon.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small OpenAI-API client over real HTTP for the platform tests (JSON bodies built from maps). */
final class Api {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String apiKey;

    /** {@code base} like {@code http://127.0.0.1:8080}; {@code apiKey} null = no Authorization header. */
    Api(String base, String apiKey) {
        this.base = base;
        this.apiKey = apiKey;
    }

    HttpResponse<String> post(String path, Map<String, ?> body) {
        try {
            return http.send(request(path, body), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends a streaming request; the lines arrive as the server writes them. */
    HttpResponse<Stream<String>> stream(String path, Map<String, ?> body) {
        try {
            return http.send(request(path, body), HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest request(String path, Map<String, ?> body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(3))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return b.build();
    }

    static JsonNode json(String body) {
        return JSON.readTree(body);
    }

    /** The JSON payloads of an SSE stream's {@code data:} lines, up to and excluding {@code [DONE]}. */
    static Iterator<String> dataLines(Stream<String> lines) {
        return lines.filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).iterator();
    }
}
