package dev.dragon.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.gateway.testing.FakeRouter;
import dev.dragon.gateway.testing.GatewayIT;
import dev.dragon.gateway.testing.Http;
import dev.dragon.gateway.testing.RedisStats;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every refusal at the edge: exact OpenAI error bodies, the right status, nothing forwarded to the router; and
 * what an accepted request carries to the router.
 */
class EdgeErrorsIT extends GatewayIT {

    private String tenant;
    private String key;

    @BeforeEach
    void tenantWithSmallPlan() {
        tenant = uniqueTenant("edge");
        key = tenantWithKey(tenant, 1000, 100, 64, "dragon-moe-mini");
    }

    @Test
    void missingKey_is401() {
        for (String header : new String[] {null, "Basic dXNlcjpwYXNz", "Bearer "}) {
            HttpRequest.Builder request = Http.to(port, "/v1/chat/completions").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Http.chatBody("dragon-moe-mini", 8, false)));
            if (header != null) {
                request.header("Authorization", header);
            }
            HttpResponse<String> response = Http.send(request.build());
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(Http.json(response)).isEqualTo(Http.error("You didn't provide an API key. You need to provide "
                    + "your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                    "invalid_request_error", null, "missing_api_key"));
        }
        assertThat(ROUTER.received()).isZero();
    }

    @Test
    void unknownKey_is401() {
        HttpResponse<String> response = Http.chat(port, "dgn_000000000000_notakey", "dragon-moe-mini", 8);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(Http.json(response)).isEqualTo(Http.error("Incorrect API key provided.", "invalid_request_error",
                null, "invalid_api_key"));
        assertThat(ROUTER.received()).isZero();
    }

    @Test
    void aRepeatedUnknownKey_isLookedUpInRedisOnce_andAKeyThatCannotExist_never() {
        String wrong = "dgn_000000000000_" + java.util.UUID.randomUUID();
        RedisStats before = RedisStats.of(REDIS.port());
        for (int i = 0; i < 5; i++) {
            assertThat(Http.chat(port, wrong, "dragon-moe-mini", 8).statusCode()).isEqualTo(401);
        }
        RedisStats afterUnknown = RedisStats.of(REDIS.port());
        HttpResponse<String> garbage = Http.chat(port, "x".repeat(5000), "dragon-moe-mini", 8);
        HttpResponse<String> withSpace = Http.chat(port, "dgn_0000 0000_secret", "dragon-moe-mini", 8);
        RedisStats afterMalformed = RedisStats.of(REDIS.port());

        // the key lookup is one GET (the ADJUST scripts of earlier tests may still be landing: GETs only)
        assertThat(afterUnknown.callsSince(before, "get")).as(afterUnknown.breakdownSince(before)).isEqualTo(1);
        assertThat(afterMalformed.callsSince(afterUnknown, "get")).as(afterMalformed.breakdownSince(afterUnknown))
                .isZero();
        for (HttpResponse<String> refused : java.util.List.of(garbage, withSpace)) {
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(Http.json(refused)).isEqualTo(Http.error("Incorrect API key provided.",
                    "invalid_request_error", null, "invalid_api_key"));
        }
        assertThat(ROUTER.received()).isZero();
    }

    @Test
    void revokedKey_is401() {
        String keyId = key.substring(4, key.indexOf('_', 4));
        assertThat(admin("DELETE", "/admin/keys/" + keyId, null).statusCode()).isEqualTo(200);
        HttpResponse<String> response = Http.chat(port, key, "dragon-moe-mini", 8);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(Http.json(response)).isEqualTo(Http.error("The API key provided has been revoked.",
                "invalid_request_error", null, "invalid_api_key"));
    }

    @Test
    void modelOutsideThePlan_is403() {
        HttpResponse<String> response = Http.chat(port, key, "gpt-4o", 8);
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(Http.json(response)).isEqualTo(Http.error("Your API key is not allowed to use the model 'gpt-4o'.",
                "invalid_request_error", "model", "model_not_allowed"));
        assertThat(ROUTER.received()).isZero();
    }

    @Test
    void bodyDeclaredAsTextOrAForm_is415() {
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded"}) {
            HttpResponse<String> response = Http.send(Http.to(port, "/v1/chat/completions")
                    .header("Authorization", "Bearer " + key).header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString(Http.chatBody("dragon-moe-mini", 4, false))).build());
            assertThat(response.statusCode()).as(type).isEqualTo(415);
            assertThat(Http.json(response)).isEqualTo(Http.error("Unsupported Content-Type '" + type
                    + "': send the request body as application/json.", "invalid_request_error", null,
                    "unsupported_media_type"));
        }
        assertThat(ROUTER.received()).isZero();
    }

    @Test
    void bodyAboveTheLimit_is413_withAndWithoutContentLength() {
        String big = "{\"model\":\"dragon-moe-mini\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(70 * 1024) + "\"}]}";
        HttpRequest sized = Http.to(port, "/v1/chat/completions").header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(big)).build();
        HttpRequest chunked = Http.to(port, "/v1/chat/completions").header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes()))).build();
        for (HttpRequest request : new HttpRequest[] {sized, chunked}) {
            HttpResponse<String> response = Http.send(request);
            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(Http.json(response)).isEqualTo(Http.error("Request body too large: the limit is 65536 bytes.",
                    "invalid_request_error", null, "request_too_large"));
        }
        assertThat(ROUTER.received()).isZero();
    }

    @Test
    void malformedOrMistypedBodies_are400_namingTheField() {
        assertBadRequest("{\"model\":\"dragon-moe-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                        + "\"temperature\":\"hot\"}",
                Http.error("Invalid type for 'temperature': expected a number, but got a string instead.",
                        "invalid_request_error", "temperature", "invalid_type"));
        assertBadRequest("{\"model\":\"dragon-moe-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"foo\":1}",
                Http.error("Unrecognized request argument supplied: foo", "invalid_request_error", "foo",
                        "unknown_parameter"));
        assertBadRequest("{\"model\":\"dragon-moe-mini\",\"messages\":[{\"role\":\"robot\",\"content\":\"hi\"}]}",
                Http.error("Invalid 'messages[0].role': unknown role 'robot'. Supported values are: 'system', "
                        + "'developer', 'user' and 'assistant'.", "invalid_request_error", "messages[0].role",
                        "invalid_value"));
        assertBadRequest("{\"model\":\"dragon-moe-mini\",\"messages\":[]}",
                Http.error("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an "
                        + "empty array instead.", "invalid_request_error", "messages", "empty_array"));

        HttpResponse<String> malformed = Http.post(port, "/v1/chat/completions", key, "{\"model\": ");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(Http.json(malformed).path("error").path("message").asString())
                .startsWith("We could not parse the JSON body of your request");
        assertThat(Http.json(malformed).path("error").path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(ROUTER.received()).isZero();
    }

    @Test
    void maxTokensAboveThePlan_is400() {
        assertBadRequest(Http.chatBody("dragon-moe-mini", 65, false),
                Http.error("Invalid 'max_tokens': integer above maximum value. Expected a value <= 64, but got 65 "
                        + "instead.", "invalid_request_error", "max_tokens", "integer_above_max_value"));
    }

    @Test
    void requestLargerThanTheWholeTokenBudget_is400() {
        // prompt of 200 characters ~ 50 tokens + max_tokens 60 > 100 tokens per minute
        String body = "{\"model\":\"dragon-moe-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "y".repeat(200)
                + "\"}],\"max_tokens\":60}";
        assertBadRequest(body, Http.error("This request may use about 110 tokens (estimated prompt + max_tokens), "
                + "more than your plan's limit of 100 tokens per minute. Shorten the prompt or lower max_tokens.",
                "invalid_request_error", "max_tokens", "tokens_above_plan_limit"));
    }

    @Test
    void unknownUrl_is404() {
        HttpResponse<String> response = Http.post(port, "/v1/embeddings", key, "{}");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(Http.json(response)).isEqualTo(Http.error("Unknown request URL: POST /v1/embeddings.",
                "invalid_request_error", null, "unknown_url"));
    }

    @Test
    void feedback_isValidated_thenForwardedAsTheTenant() throws Exception {
        assertBadRequest("/v1/feedback", "{\"response_id\":\"chatcmpl-1\",\"rating\":5}",
                Http.error("Invalid 'rating': integer above maximum value. Expected a value <= 1, but got 5 instead.",
                        "invalid_request_error", "rating", "integer_above_max_value"));

        HttpResponse<String> accepted = Http.send(Http.to(port, "/v1/feedback")
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .header("x-dragon-tenant", "someone-else")
                .header("x-dragon-request-id", "client-req-42")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"response_id\":\"chatcmpl-1\",\"rating\":1,\"corrected_completion\":\"Better.\"}"))
                .build());
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(accepted.headers().allValues("x-dragon-request-id")).containsExactly("client-req-42");
        FakeRouter.Seen seen = ROUTER.next();
        assertThat(seen.path()).isEqualTo("/v1/feedback");
        assertThat(seen.header("x-dragon-tenant")).isEqualTo(tenant);
        assertThat(seen.header("authorization")).isNull();
        assertThat(seen.header("x-dragon-request-id")).isEqualTo("client-req-42");
        assertThat(seen.body().path("corrected_completion").asString()).isEqualTo("Better.");
    }

    @Test
    void acceptedChat_isForwardedUnchanged_withRateLimitHeaders() throws Exception {
        String body = Http.chatBody("dragon-moe-mini", 16, false);
        HttpResponse<String> response = Http.post(port, "/v1/chat/completions", key, body);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Http.json(response).path("usage").path("total_tokens").asInt()).isEqualTo(12);
        assertThat(response.headers().firstValue("x-ratelimit-limit-requests")).contains("1000");
        assertThat(response.headers().firstValue("x-ratelimit-limit-tokens")).contains("100");
        assertThat(response.headers().firstValue("x-ratelimit-remaining-tokens")).isPresent();
        assertThat(response.headers().allValues("x-dragon-request-id")).hasSize(1);
        FakeRouter.Seen seen = ROUTER.next();
        assertThat(seen.body()).isEqualTo(Http.JSON.readTree(body));
        assertThat(seen.header("x-dragon-request-id")).isEqualTo(response.headers().firstValue("x-dragon-request-id")
                .orElseThrow());
    }

    private void assertBadRequest(String body, Object expected) {
        assertBadRequest("/v1/chat/completions", body, expected);
    }

    private void assertBadRequest(String path, String body, Object expected) {
        HttpResponse<String> response = Http.post(port, path, key, body);
        assertThat(response.statusCode()).as(body).isEqualTo(400);
        assertThat(Http.json(response)).as(body).isEqualTo(expected);
    }
}
