package dev.dragon.gateway.testing;

import dev.dragon.gateway.GatewayApplication;
import dev.dragon.gateway.admin.AdminServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Base of the gateway's integration tests: the real gateway on random public, management and admin ports,
 * a real Redis, and a {@link FakeRouter} upstream. Subclasses share one booted gateway; each test uses
 * tenants of its own, so limits never leak between tests.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class GatewayIT {

    /** Test property naming the upstream URIs instead of the shared {@link FakeRouter}. */
    public static final String UPSTREAM = "dragon.test.upstream";
    /** Test property naming a Redis port instead of the shared {@link EmbeddedRedis}. */
    public static final String REDIS_PORT = "dragon.test.redis-port";
    public static final String ADMIN_TOKEN = "test-admin-token-0123456789";
    protected static final EmbeddedRedis REDIS = EmbeddedRedis.shared();
    protected static final FakeRouter ROUTER = sharedRouter();

    private static FakeRouter sharedRouter;

    @LocalServerPort
    protected int port;

    @LocalManagementPort
    protected int managementPort;

    @Autowired
    protected AdminServer adminServer;

    private static synchronized FakeRouter sharedRouter() {
        if (sharedRouter == null) {
            sharedRouter = FakeRouter.started();
            Runtime.getRuntime().addShutdownHook(new Thread(sharedRouter::stop));
        }
        return sharedRouter;
    }

    @DynamicPropertySource
    static void gatewayProperties(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.host", () -> "127.0.0.1");
        registry.add("spring.data.redis.port", () -> "${" + REDIS_PORT + ":" + REDIS.port() + "}");
        // a subclass points the gateway elsewhere by registering dragon.test.upstream (superclass registrations
        // of the same name would win over the subclass's)
        registry.add("dragon.gateway.upstream.uris", () -> "${" + UPSTREAM + ":" + ROUTER.uri() + "}");
        registry.add("dragon.gateway.admin.port", () -> 0);
        registry.add("dragon.gateway.admin.token", () -> ADMIN_TOKEN);
        // a fixed port, as in deployments (9080): Spring Cloud Gateway then keeps its routes off it
        int managementPort = EmbeddedRedis.freePort();
        registry.add("management.server.port", () -> managementPort);
        registry.add("dragon.gateway.limits.max-body-size", () -> "64KB");
        // generous on a loaded build machine; a real outage is still noticed (see RedisOutageIT)
        registry.add("dragon.gateway.auth.redis-timeout", () -> "5s");
        registry.add("dragon.gateway.cors.allowed-origins", () -> "https://app.example");
        registry.add("dragon.gateway.bootstrap.dev-key", () -> "dev-key-for-tests-0123456789");
        registry.add("dragon.gateway.bootstrap.tenant", () -> "devtenant");
        // each context would send the shared fake router warm-up requests; GatewayWarmUpIT turns it on
        registry.add("dragon.gateway.warm-up.enabled", () -> "${dragon.test.warm-up:false}");
    }

    @BeforeEach
    void resetRouter() {
        ROUTER.reset();
    }

    protected int adminPort() {
        return adminServer.port();
    }

    /** An admin API call with the admin credential. */
    protected HttpResponse<String> admin(String method, String path, String json) {
        return adminAs(ADMIN_TOKEN, method, path, json);
    }

    protected HttpResponse<String> adminAs(String token, String method, String path, String json) {
        HttpRequest.Builder b = Http.to(adminPort(), path).method(method,
                json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return Http.send(b.build());
    }

    /** Creates {@code tenant} with the given plan and returns a new key of it. */
    protected String tenantWithKey(String tenant, int requestsPerMinute, int tokensPerMinute, int maxTokens,
                                   String... models) {
        String allowed = models.length == 0 ? "[\"*\"]" : "[\"" + String.join("\",\"", models) + "\"]";
        HttpResponse<String> plan = admin("PUT", "/admin/tenants/" + tenant + "/plan",
                "{\"requests_per_minute\":" + requestsPerMinute + ",\"tokens_per_minute\":" + tokensPerMinute
                        + ",\"max_tokens_per_request\":" + maxTokens + ",\"allowed_models\":" + allowed + "}");
        if (plan.statusCode() != 200) {
            throw new IllegalStateException("plan not set: " + plan.statusCode() + " " + plan.body());
        }
        return newKey(tenant);
    }

    protected String newKey(String tenant) {
        HttpResponse<String> created = admin("POST", "/admin/tenants/" + tenant + "/keys", null);
        if (created.statusCode() != 201) {
            throw new IllegalStateException("key not created: " + created.statusCode() + " " + created.body());
        }
        JsonNode body = Http.json(created);
        return body.path("key").asString();
    }

    /** A tenant name no other test uses. */
    protected static String uniqueTenant(String prefix) {
        return prefix + "-" + Long.toHexString(System.nanoTime());
    }
}
