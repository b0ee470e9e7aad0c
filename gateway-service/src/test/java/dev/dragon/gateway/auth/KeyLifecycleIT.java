package dev.dragon.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dragon.gateway.testing.GatewayIT;
import dev.dragon.gateway.testing.Http;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** API keys through the admin API and their use on the public API, with a real Redis. */
class KeyLifecycleIT extends GatewayIT {

    @Test
    void keyLifecycle_createUseRotateRevoke() throws Exception {
        String tenant = uniqueTenant("life");
        HttpResponse<String> created = admin("POST", "/admin/tenants/" + tenant + "/keys", null);
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode issued = Http.json(created);
        String key = issued.path("key").asString();
        String keyId = issued.path("key_id").asString();
        assertThat(key).startsWith("dgn_" + keyId + "_");
        assertThat(issued.path("tenant").asString()).isEqualTo(tenant);

        // use: forwarded to the router as the tenant
        assertThat(Http.chat(port, key, "dragon-moe-mini", 16).statusCode()).isEqualTo(200);
        assertThat(ROUTER.next().header("x-dragon-tenant")).isEqualTo(tenant);

        // listing shows the key's metadata, never the key
        HttpResponse<String> listed = admin("GET", "/admin/tenants/" + tenant + "/keys", null);
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).doesNotContain(key).doesNotContain(key.substring(key.indexOf('_', 4) + 1));
        assertThat(Http.json(listed).path("keys").get(0).path("key_id").asString()).isEqualTo(keyId);

        // rotate: the new key works, the old one is refused as revoked
        HttpResponse<String> rotated = admin("POST", "/admin/keys/" + keyId + "/rotate", null);
        assertThat(rotated.statusCode()).isEqualTo(201);
        String newKey = Http.json(rotated).path("key").asString();
        String newKeyId = Http.json(rotated).path("key_id").asString();
        assertThat(newKey).isNotEqualTo(key);
        assertThat(Http.chat(port, newKey, "dragon-moe-mini", 16).statusCode()).isEqualTo(200);
        HttpResponse<String> old = Http.chat(port, key, "dragon-moe-mini", 16);
        assertThat(old.statusCode()).isEqualTo(401);
        assertThat(Http.json(old).path("error").path("message").asString()).contains("revoked");

        // revoke the new key
        HttpResponse<String> revoked = admin("DELETE", "/admin/keys/" + newKeyId, null);
        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(Http.json(revoked).path("revoked").asBoolean()).isTrue();
        assertThat(Http.chat(port, newKey, "dragon-moe-mini", 16).statusCode()).isEqualTo(401);

        JsonNode view = Http.json(admin("GET", "/admin/tenants/" + tenant, null));
        assertThat(view.path("keys")).hasSize(2);
        assertThat(view.path("keys").get(0).path("revoked").asBoolean()).isTrue();
        assertThat(view.path("keys").get(1).path("revoked").asBoolean()).isTrue();
    }

    @Test
    void revocation_reachesAnotherReplica_withinTheCacheTtl() {
        String tenant = uniqueTenant("ttl");
        String key = newKey(tenant);
        assertThat(Http.chat(port, key, "dragon-moe-mini", 16).statusCode()).isEqualTo(200);
        // another replica revokes it: only Redis changes, this replica's cache is not told
        String keyId = key.substring(4, key.indexOf('_', 4));
        KeyStoreAccess.revokeBehindTheGatewaysBack(REDIS.port(), keyId);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> Http.chat(port, key, "dragon-moe-mini", 16).statusCode() == 401);
    }

    @Test
    void planChange_appliesToModelsAndMaxTokens() {
        String tenant = uniqueTenant("plan");
        String key = tenantWithKey(tenant, 100, 100000, 64, "dragon-moe-mini");
        assertThat(Http.chat(port, key, "dragon-moe-mini", 64).statusCode()).isEqualTo(200);
        assertThat(Http.chat(port, key, "other-model", 16).statusCode()).isEqualTo(403);
        assertThat(Http.chat(port, key, "dragon-moe-mini", 65).statusCode()).isEqualTo(400);

        HttpResponse<String> plan = admin("PUT", "/admin/tenants/" + tenant + "/plan",
                "{\"requests_per_minute\":100,\"tokens_per_minute\":100000,\"max_tokens_per_request\":128,"
                        + "\"allowed_models\":[\"*\"]}");
        assertThat(plan.statusCode()).isEqualTo(200);
        assertThat(Http.chat(port, key, "other-model", 128).statusCode()).isEqualTo(200);
    }

    @Test
    void bootstrapDevKey_isStoredHashed_andWorks() {
        String devKey = "dev-key-for-tests-0123456789";
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Http.chat(port, devKey, "dragon-moe-mini", 16).statusCode() == 200);
        assertThat(KeyStoreAccess.allValues(REDIS.port())).noneMatch(v -> v.contains(devKey));
        assertThat(Http.json(admin("GET", "/admin/tenants/devtenant", null)).path("plan").path("requests_per_minute")
                .asInt()).isPositive();
    }

    @Test
    void admin_refusesTenantKeysAndMissingOrWrongCredentials() {
        String key = newKey(uniqueTenant("adm"));
        for (String credential : new String[] {key, null, "wrong-token"}) {
            HttpResponse<String> refused = adminAs(credential, "GET", "/admin/tenants", null);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(Http.json(refused)).isEqualTo(Http.error(
                    "The admin API needs the admin credential (Authorization: Bearer <admin token>).",
                    "invalid_request_error", null, "invalid_admin_credential"));
        }
        assertThat(adminAs(key, "POST", "/admin/tenants/x/keys", null).statusCode()).isEqualTo(401);
    }

    @Test
    void admin_answersUnknownKeysAndBadPlansWithErrors() {
        HttpResponse<String> unknown = admin("DELETE", "/admin/keys/000000000000", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(Http.json(unknown).path("error").path("code").asString()).isEqualTo("key_not_found");

        HttpResponse<String> badPlan = admin("PUT", "/admin/tenants/t1/plan",
                "{\"requests_per_minute\":0,\"tokens_per_minute\":10,\"max_tokens_per_request\":1}");
        assertThat(badPlan.statusCode()).isEqualTo(400);
        assertThat(Http.json(badPlan).path("error").path("param").asString()).isEqualTo("plan");

        HttpResponse<String> badName = admin("POST", "/admin/tenants/bad%20name/keys", null);
        assertThat(badName.statusCode()).isEqualTo(400);
        assertThat(Http.json(badName).path("error").path("param").asString()).isEqualTo("tenant");
    }
}
