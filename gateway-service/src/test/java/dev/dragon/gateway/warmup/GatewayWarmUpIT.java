package dev.dragon.gateway.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.gateway.auth.ApiKeyRecord;
import dev.dragon.gateway.auth.KeyStore;
import dev.dragon.gateway.testing.GatewayIT;
import dev.dragon.gateway.testing.Http;
import dev.dragon.support.web.ReservedTenants;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The gateway is ready only after real requests went through it, with a key that is revoked afterwards. */
class GatewayWarmUpIT extends GatewayIT {

    @DynamicPropertySource
    static void warmUpOn(DynamicPropertyRegistry registry) {
        registry.add("dragon.test.warm-up", () -> "true");
        registry.add("dragon.gateway.warm-up.rounds", () -> "2");
        registry.add("dragon.gateway.warm-up.repeats", () -> "10");
    }

    @Autowired
    KeyStore store;

    @Test
    void readiness_followsWarmUpRequests_thatAllGotTheirExpectedAnswer() {
        assertThat(Http.get(managementPort, "/actuator/health/readiness", null).statusCode()).isEqualTo(200);
        String metrics = Http.get(managementPort, "/actuator/prometheus", null).body();
        // models once, then per round: chat, chat (hit), streamed chat, completion, a 400 and a 401
        assertThat(counter(metrics, "answered")).isEqualTo(1 + 2 * 6 + 10);
        assertThat(counter(metrics, "failed")).isZero();
        assertThat(metrics).containsPattern("dragon_gateway_requests_total\\{[^}]*status=\"200\"[^}]*tenant=\""
                + Pattern.quote(ReservedTenants.WARM_UP) + "\"");
    }

    @Test
    void theWarmUpKey_isRevoked_onceWarmUpIsDone() {
        List<ApiKeyRecord> keys = store.keys(ReservedTenants.WARM_UP).collectList().block();
        assertThat(keys).isNotEmpty().allSatisfy(k -> assertThat(k.revokedAt()).isNotNull());
    }

    @Test
    void noAdminCall_canCreateAReservedTenant() {
        HttpResponse<String> response = admin("PUT", "/admin/tenants/" + ReservedTenants.WARM_UP + "/plan",
                "{\"requests_per_minute\":10,\"tokens_per_minute\":1000,\"max_tokens_per_request\":10}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Http.json(response).path("error").path("param").asString()).isEqualTo("tenant");
        assertThat(admin("POST", "/admin/tenants/_other/keys", null).statusCode()).isEqualTo(400);
    }

    private static double counter(String metrics, String result) {
        Matcher m = Pattern.compile("^dragon_warmup_requests_total\\{[^}]*result=\"" + result + "\"[^}]*} (\\S+)$",
                Pattern.MULTILINE).matcher(metrics);
        assertThat(m.find()).as("dragon_warmup_requests_total{result=%s} in %n%s", result, metrics).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
