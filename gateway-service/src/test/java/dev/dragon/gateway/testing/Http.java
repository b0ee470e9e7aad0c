package dev.dragon.gateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP/1.1 client for the tests: what an app would send, with generous timeouts. */
public final class Http {

    public static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private Http() {
    }

    public static HttpClient client() {
        return CLIENT;
    }

    /** A request builder for {@code http://localhost:port/path} with a 60 s timeout. */
    public static HttpRequest.Builder to(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(60));
    }

    public static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static HttpResponse<String> get(int port, String path, String bearer) {
        HttpRequest.Builder b = to(port, path).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return send(b.build());
    }

    public static HttpResponse<String> post(int port, String path, String bearer, String json) {
        HttpRequest.Builder b = to(port, path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return send(b.build());
    }

    /** A small non-streaming chat completion. */
    public static HttpResponse<String> chat(int port, String key, String model, int maxTokens) {
        return post(port, "/v1/chat/completions", key, chatBody(model, maxTokens, false));
    }

    public static String chatBody(String model, int maxTokens, boolean stream) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}],"
                + "\"max_tokens\":" + maxTokens + (stream ? ",\"stream\":true" : "") + "}";
    }

    public static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    /** The OpenAI error envelope as a tree, for exact comparison with a response body. */
    public static JsonNode error(String message, String type, String param, String code) {
        var error = JSON.createObjectNode();
        error.put("message", message);
        error.put("type", type);
        if (param == null) {
            error.putNull("param");
        } else {
            error.put("param", param);
        }
        if (code == null) {
            error.putNull("code");
        } else {
            error.put("code", code);
        }
        var root = JSON.createObjectNode();
        root.set("error", error);
        return root;
    }
}
