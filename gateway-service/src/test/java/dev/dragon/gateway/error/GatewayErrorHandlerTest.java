package dev.dragon.gateway.error;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.contracts.openai.OpenAiJson;
import dev.dragon.contracts.openai.Violation;
import dev.dragon.gateway.error.AuthenticationFailedException.Reason;
import dev.dragon.gateway.error.RateLimitedException.Kind;
import dev.dragon.gateway.metrics.GatewayMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.support.ServiceUnavailableException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class GatewayErrorHandlerTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final GatewayErrorHandler handler = new GatewayErrorHandler(new OpenAiJson(), new GatewayMetrics(registry, 10),
            Duration.ofSeconds(7));

    @Test
    void authenticationFailures_are401_andCountedByReason() {
        MockServerWebExchange exchange = handle(new AuthenticationFailedException(Reason.REVOKED));
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(body(exchange).path("error").path("code").asString()).isEqualTo("invalid_api_key");
        assertThat(registry.get("dragon.gateway.auth.failures").tag("reason", "revoked").counter().count()).isEqualTo(1);
    }

    @Test
    void modelRefusal_is403_countedAsAuthFailure() {
        MockServerWebExchange exchange = handle(new ModelNotAllowedException("m"));
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(body(exchange).path("error").path("param").asString()).isEqualTo("model");
        assertThat(registry.get("dragon.gateway.auth.failures").tag("reason", "model").counter().count()).isEqualTo(1);
    }

    @Test
    void rateLimits_are429_withRetryAfter_andCountedByTenantAndKind() {
        MockServerWebExchange exchange = handle(new RateLimitedException(Kind.TOKENS, "acme", 100, 12));
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(exchange.getResponse().getHeaders().getFirst("Retry-After")).isEqualTo("12");
        assertThat(body(exchange).path("error").path("type").asString()).isEqualTo("tokens");
        assertThat(registry.get("dragon.gateway.ratelimit.rejections").tag("tenant", "acme").tag("kind", "tokens")
                .counter().count()).isEqualTo(1);
    }

    @Test
    void violations_are400_withTheViolationsFields() {
        MockServerWebExchange exchange = handle(new InvalidRequestException(new Violation("top_p", "bad top_p", "x")));
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        JsonNode error = body(exchange).path("error");
        assertThat(error.path("message").asString()).isEqualTo("bad top_p");
        assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.path("param").asString()).isEqualTo("top_p");
        assertThat(error.path("code").asString()).isEqualTo("x");
    }

    @Test
    void openCircuit_andUnreachableRouter_are503_withRetryAfter() {
        MockServerWebExchange open = handle(new ServiceUnavailableException());
        assertThat(open.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(open.getResponse().getHeaders().getFirst("Retry-After")).isEqualTo("7");
        assertThat(body(open).path("error").path("code").asString()).isEqualTo("circuit_open");

        MockServerWebExchange refused = handle(new IllegalStateException(new ConnectException("refused")));
        assertThat(refused.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(body(refused).path("error").path("code").asString()).isEqualTo("upstream_unavailable");

        MockServerWebExchange closed = handle(new IllegalStateException(
                new java.io.IOException("Connection prematurely closed BEFORE response")));
        assertThat(closed.getResponse().getStatusCode()).as("router died after the request was written")
                .isEqualTo(HttpStatus.BAD_GATEWAY);
        assertThat(body(closed).path("error").path("code").asString()).isEqualTo("upstream_error");

        MockServerWebExchange store = handle(new QueryTimeoutException("redis"));
        assertThat(body(store).path("error").path("code").asString()).isEqualTo("store_unavailable");
    }

    @Test
    void frameworkStatuses_becomeOpenAiErrors() {
        MockServerWebExchange notFound = handle(new ResponseStatusException(HttpStatus.NOT_FOUND));
        assertThat(notFound.getResponse().getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(body(notFound).path("error").path("message").asString()).isEqualTo("Unknown request URL: POST /v1/x.");

        MockServerWebExchange timeout = handle(new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT));
        assertThat(body(timeout).path("error").path("code").asString()).isEqualTo("upstream_timeout");

        MockServerWebExchange tooLarge = handle(new DataBufferLimitException("big"));
        assertThat(tooLarge.getResponse().getStatusCode()).isEqualTo(HttpStatus.PAYLOAD_TOO_LARGE);

        MockServerWebExchange bug = handle(new NullPointerException("bug"));
        assertThat(bug.getResponse().getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(body(bug).path("error").path("type").asString()).isEqualTo("server_error");
        assertThat(body(bug).path("error").path("message").asString()).doesNotContain("bug");
    }

    private MockServerWebExchange handle(Throwable failure) {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/v1/x"));
        handler.handle(exchange, failure).block(Duration.ofSeconds(10));
        return exchange;
    }

    private static JsonNode body(MockServerWebExchange exchange) {
        String text = exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(10));
        assertThat(exchange.getResponse().getHeaders().getContentType().toString()).isEqualTo("application/json");
        return JsonMapper.builder().build().readTree(text);
    }
}
