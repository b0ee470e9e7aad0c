package dev.dragon.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.contracts.http.ServerTiming;
import dev.dragon.gateway.testing.GatewayIT;
import dev.dragon.gateway.testing.Http;
import dev.dragon.support.web.DragonHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Boots gateway-service on random public, management and admin ports and checks what operators rely on:
 * health and metrics on the management port only, the admin API on its own port only, nothing but the
 * public API on the public port.
 */
class GatewayApplicationIT extends GatewayIT {

    @Test
    void actuator_isOnTheManagementPort() {
        HttpResponse<String> health = Http.get(managementPort, "/actuator/health", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(Http.json(health).path("status").asString()).isEqualTo("UP");
        assertThat(Http.get(managementPort, "/actuator/health/readiness", null).statusCode()).isEqualTo(200);
    }

    @Test
    void actuatorAndAdmin_areNotReachableOnThePublicPort() {
        for (String path : new String[] {"/actuator/health", "/actuator/prometheus", "/admin/tenants"}) {
            HttpResponse<String> response = Http.get(port, path, ADMIN_TOKEN);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(Http.json(response).path("error").path("code").asString()).isEqualTo("unknown_url");
        }
    }

    @Test
    void publicApiAndActuator_areNotReachableOnTheAdminPort_norAdminOnTheManagementPort() {
        String key = newKey(uniqueTenant("ports"));
        assertThat(Http.get(adminPort(), "/v1/models", key).statusCode()).isEqualTo(404);
        assertThat(Http.get(adminPort(), "/actuator/health", ADMIN_TOKEN).statusCode()).isEqualTo(404);
        assertThat(Http.get(managementPort, "/admin/tenants", ADMIN_TOKEN).statusCode()).isEqualTo(404);
        assertThat(Http.get(managementPort, "/v1/models", key).statusCode()).isEqualTo(404);
        assertThat(Http.get(port, "/v1/models", key).statusCode()).isEqualTo(200);
    }

    @Test
    void cors_answersPreflightsForConfiguredOriginsOnly() {
        HttpResponse<String> allowed = preflight("https://app.example");
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example");
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Headers").orElseThrow().toLowerCase())
                .contains("authorization");

        assertThat(preflight("https://evil.example").statusCode()).isEqualTo(403);

        String key = newKey(uniqueTenant("cors"));
        HttpResponse<String> actual = Http.send(Http.to(port, "/v1/models").header("Authorization", "Bearer " + key)
                .header("Origin", "https://app.example").GET().build());
        assertThat(actual.statusCode()).isEqualTo(200);
        assertThat(actual.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example");
        assertThat(actual.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
                .contains("x-ratelimit-remaining-requests");
    }

    private HttpResponse<String> preflight(String origin) {
        return Http.send(Http.to(port, "/v1/chat/completions").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type").build());
    }

    @Test
    void prometheus_exposesTheGatewayMetrics() {
        String tenant = uniqueTenant("metrics");
        String key = tenantWithKey(tenant, 1, 100000, 64);
        assertThat(Http.chat(port, key, "dragon-moe-mini", 8).statusCode()).isEqualTo(200);
        assertThat(Http.chat(port, key, "dragon-moe-mini", 8).statusCode()).isEqualTo(429);
        assertThat(Http.chat(port, null, "dragon-moe-mini", 8).statusCode()).isEqualTo(401);

        String metrics = Http.get(managementPort, "/actuator/prometheus", null).body();
        assertThat(metrics)
                .contains("application=\"gateway-service\"")
                .containsPattern("dragon_gateway_requests_total\\{[^}]*route=\"chat-completions\",status=\"200\",tenant=\""
                        + tenant + "\"")
                .containsPattern("dragon_gateway_requests_total\\{[^}]*route=\"chat-completions\",status=\"429\"")
                .containsPattern("dragon_gateway_request_seconds_bucket\\{[^}]*route=\"chat-completions\"")
                .containsPattern("dragon_gateway_ratelimit_rejections_total\\{[^}]*kind=\"requests\",tenant=\"" + tenant
                        + "\"")
                .containsPattern("dragon_gateway_auth_failures_total\\{[^}]*reason=\"missing\"")
                .containsPattern("dragon_gateway_circuit_state\\{[^}]*route=\"chat-completions\"");
    }

    @Test
    void everyAnswer_saysInServerTiming_whereTheGatewaySpentItsTime() {
        String key = newKey(uniqueTenant("timing"));
        HttpResponse<String> served = Http.chat(port, key, "dragon-moe-mini", 8);
        assertThat(served.statusCode()).isEqualTo(200);
        String timing = served.headers().firstValue(DragonHeaders.SERVER_TIMING).orElseThrow();
        assertThat(ServerTiming.millis(timing, "gateway")).as(timing).isGreaterThanOrEqualTo(0).isLessThan(10_000);
        assertThat(ServerTiming.millis(timing, "proxy")).as(timing).isGreaterThanOrEqualTo(0).isLessThan(10_000);

        HttpResponse<String> refused = Http.chat(port, null, "dragon-moe-mini", 8);
        String refusedTiming = refused.headers().firstValue(DragonHeaders.SERVER_TIMING).orElseThrow();
        assertThat(ServerTiming.millis(refusedTiming, "gateway")).as(refusedTiming).isGreaterThanOrEqualTo(0);
        assertThat(ServerTiming.millis(refusedTiming, "proxy")).as("never forwarded").isNaN();
    }
}
