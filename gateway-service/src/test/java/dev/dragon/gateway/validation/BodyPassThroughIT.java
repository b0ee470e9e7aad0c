package dev.dragon.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.gateway.testing.FakeRouter;
import dev.dragon.gateway.testing.GatewayIT;
import dev.dragon.gateway.testing.Http;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A body that passed validation reaches the router as the bytes the client sent: never re-serialised. */
class BodyPassThroughIT extends GatewayIT {

    /** Spacing, key order, escapes and non-ASCII that any re-serialisation would change. */
    private static final String CHAT = "{ \"messages\" : [ {\"content\":\"Grüße, \\\"dragon\\\"\\n\\u00e9\", "
            + "\"role\":\"user\"} ],\n  \"model\":\"dragon-moe-mini\", \"temperature\" : 0.50, \"max_tokens\":8 }";

    @Test
    void anAcceptedBody_reachesTheRouterByteForByte() throws Exception {
        String key = newKey(uniqueTenant("bytes"));
        HttpResponse<String> response = Http.post(port, "/v1/chat/completions", key, CHAT);
        assertThat(response.statusCode()).isEqualTo(200);
        FakeRouter.Seen seen = ROUTER.next();
        assertThat(seen.rawBody()).isEqualTo(CHAT);
        assertThat(seen.header("content-length")).isEqualTo(Integer.toString(CHAT.getBytes(StandardCharsets.UTF_8).length));
    }

    @Test
    void aStreamingBody_reachesTheRouterUnchanged_butForTheUsageOptionSplicedIn() throws Exception {
        String key = newKey(uniqueTenant("bytes-sse"));
        String body = "{\"model\":\"dragon-moe-mini\",  \"stream\" : true,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Grüße\"}],\"max_tokens\":8 }\n";
        HttpResponse<String> response = Http.post(port, "/v1/chat/completions", key, body);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).doesNotContain("\"usage\"");
        assertThat(ROUTER.next().rawBody()).isEqualTo("{\"model\":\"dragon-moe-mini\",  \"stream\" : true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Grüße\"}],\"max_tokens\":8 ,"
                + "\"stream_options\":{\"include_usage\":true}}\n");
    }

    @Test
    void aStreamingBody_withItsOwnStreamOptions_isForwardedWithUsageOn_asOneValidObject() throws Exception {
        String key = newKey(uniqueTenant("bytes-opt"));
        String body = "{\"model\":\"dragon-moe-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":false},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":8}";
        HttpResponse<String> response = Http.post(port, "/v1/chat/completions", key, body);
        assertThat(response.statusCode()).isEqualTo(200);
        FakeRouter.Seen seen = ROUTER.next();
        assertThat(seen.body().path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(seen.body().path("messages").get(0).path("content").asString()).isEqualTo("Hi");
    }

    @Test
    void aRequestWithoutMaxTokens_getsItsPlansCap_whenTheCapIsBelowTheRoutersDefault() throws Exception {
        // the router's default is 256 (limits.router-default-max-tokens): a plan capped at 64 must not get 256
        String capped = tenantWithKey(uniqueTenant("cap-low"), 100, 100000, 64);
        String body = "{\"model\":\"dragon-moe-mini\", \"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        assertThat(Http.post(port, "/v1/chat/completions", capped, body).statusCode()).isEqualTo(200);
        assertThat(ROUTER.next().rawBody()).isEqualTo("{\"model\":\"dragon-moe-mini\", \"messages\":[{\"role\":"
                + "\"user\",\"content\":\"Hi\"}],\"max_tokens\":64}");

        // a member named max_tokens already there (null): rewritten rather than duplicated
        String withNull = "{\"model\":\"dragon-moe-mini\",\"max_tokens\":null,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Hi\"}]}";
        assertThat(Http.post(port, "/v1/chat/completions", capped, withNull).statusCode()).isEqualTo(200);
        assertThat(ROUTER.next().body().path("max_tokens").asInt()).isEqualTo(64);

        // a plan allowing more than the router's default: the body is left as sent
        String roomy = tenantWithKey(uniqueTenant("cap-high"), 100, 100000, 1024);
        assertThat(Http.post(port, "/v1/chat/completions", roomy, body).statusCode()).isEqualTo(200);
        assertThat(ROUTER.next().rawBody()).isEqualTo(body);
    }
}
