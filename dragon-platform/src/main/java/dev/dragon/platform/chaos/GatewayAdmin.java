package dev.dragon.platform.chaos;

import dev.dragon.platform.PlatformException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** The gateway's admin API (its own port, admin token): tenants with a plan, and their API keys. */
public final class GatewayAdmin {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    /** @param base like {@code http://127.0.0.1:9081} */
    public GatewayAdmin(String base, String token) {
        this.base = base;
        this.token = token;
    }

    /** Gives {@code tenant} a plan (creating it) and returns a new API key of it (the only time it is shown). */
    public String tenantWithKey(String tenant, int requestsPerMinute, int tokensPerMinute) {
        HttpResponse<String> plan = send("PUT", "/admin/tenants/" + tenant + "/plan", Map.of(
                "requests_per_minute", requestsPerMinute, "tokens_per_minute", tokensPerMinute,
                "max_tokens_per_request", 1024, "allowed_models", List.of("*")), token);
        if (plan.statusCode() / 100 != 2) {
            throw new PlatformException("admin: plan for " + tenant + " refused: " + plan.statusCode() + " " + plan.body());
        }
        HttpResponse<String> key = send("POST", "/admin/tenants/" + tenant + "/keys", Map.of(), token);
        if (key.statusCode() != 201) {
            throw new PlatformException("admin: key for " + tenant + " refused: " + key.statusCode() + " " + key.body());
        }
        return JSON.readTree(key.body()).path("key").asString();
    }

    /** One admin call with the given credential (null = none), answered as it is. */
    public HttpResponse<String> send(String method, String path, Object body, String credential) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (credential != null) {
            b.header("Authorization", "Bearer " + credential);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new PlatformException("admin " + method + " " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformException("interrupted");
        }
    }
}
