package dev.dragon.router.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.contracts.openai.ErrorResponse;
import dev.dragon.router.testing.ApiClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Bad requests over real HTTP get the exact OpenAI error body naming the field at fault, are counted as
 * rejected, and leave the router healthy: after each one a valid request still succeeds.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ValidationIT {

    private static final String CHAT = "/v1/chat/completions";
    private static final String COMPLETIONS = "/v1/completions";
    private static final String USER = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    private static final String M = "\"model\":\"dragon-moe-mini\"";

    @LocalServerPort
    int port;
    @Autowired
    MeterRegistry registry;

    private ApiClient api;
    private double rejectedBefore;

    @BeforeEach
    void client() {
        api = new ApiClient(port);
        rejectedBefore = rejectedInvalid();
    }

    @AfterEach
    void routerStaysHealthy() {
        HttpResponse<String> ok = api.post(COMPLETIONS, "{" + M + ",\"prompt\":\"Once\",\"max_tokens\":2}");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(api.json(ok.body()).path("choices").get(0).path("finish_reason").isString()).isTrue();
    }

    static Stream<Arguments> invalidRequests() {
        return Stream.of(
                bad(CHAT, "{" + M + "," + USER + ",\"temperature\":\"hot\"}", "temperature", "invalid_type",
                        "Invalid type for 'temperature': expected a number, but got a string instead."),
                bad(CHAT, "{" + M + "," + USER + ",\"max_tokens\":2.5}", "max_tokens", "invalid_type",
                        "Invalid type for 'max_tokens': expected an integer, but got a decimal instead."),
                bad(CHAT, "{" + M + ",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\"}]}]}",
                        "messages[0].content", "invalid_type",
                        "Invalid type for 'messages[0].content': expected a string, but got an array instead."),
                bad(CHAT, "{" + M + "," + USER + ",\"frequency_penalty\":0.5}", "frequency_penalty", "unknown_parameter",
                        "Unrecognized request argument supplied: frequency_penalty"),
                bad(CHAT, "{" + M + ",\"messages\":[]}", "messages", "empty_array",
                        "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead."),
                bad(CHAT, "{" + M + "}", "messages", "missing_required_parameter",
                        "Missing required parameter: 'messages'."),
                bad(CHAT, "{" + M + ",\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}", "messages[0].role",
                        "invalid_value", "Invalid 'messages[0].role': unknown role 'wizard'. Supported values are: "
                                + "'system', 'developer', 'user' and 'assistant'."),
                bad(CHAT, "{" + M + "," + USER + ",\"temperature\":2.5}", "temperature", "decimal_above_max_value",
                        "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 2.5 instead."),
                bad(CHAT, "{" + M + "," + USER + ",\"top_p\":0}", "top_p", "decimal_below_min_value",
                        "Invalid 'top_p': decimal below minimum value. Expected a value > 0, but got 0.0 instead."),
                bad(CHAT, "{" + M + "," + USER + ",\"max_tokens\":0}", "max_tokens", "integer_below_min_value",
                        "Invalid 'max_tokens': integer below minimum value. Expected a value >= 1, but got 0 instead."),
                bad(CHAT, "{" + M + "," + USER + ",\"max_completion_tokens\":4097}", "max_completion_tokens",
                        "integer_above_max_value", "Invalid 'max_completion_tokens': integer above maximum value. "
                                + "Expected a value <= 4096, but got 4097 instead."),
                bad(CHAT, "{" + M + "," + USER + ",\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}", "stop",
                        "array_above_max_length", "Invalid 'stop': array too long. Expected an array with maximum "
                                + "length 4, but got an array with length 5 instead."),
                bad(CHAT, "{" + M + "," + USER + ",\"n\":3}", "n", "invalid_value",
                        "Invalid 'n': only n = 1 is supported, got 3."),
                bad(CHAT, "{" + M + "," + USER + ",\"stream_options\":{\"include_usage\":true}}", "stream_options",
                        "invalid_value", "The 'stream_options' parameter is only allowed when 'stream' is enabled."),
                bad(CHAT, "{" + M + "," + USER + ",\"top_logprobs\":2}", "top_logprobs", "invalid_value",
                        "Invalid 'top_logprobs': 'logprobs' must be set to true when 'top_logprobs' is used."),
                bad(COMPLETIONS, "{" + M + ",\"prompt\":[\"a\",\"b\"]}", "prompt", "invalid_type",
                        "Invalid type for 'prompt': expected a string, but got an array instead."),
                bad(COMPLETIONS, "{" + M + ",\"prompt\":\"p\",\"logprobs\":6}", "logprobs", "integer_above_max_value",
                        "Invalid 'logprobs': integer above maximum value. Expected a value <= 5, but got 6 instead."),
                bad(COMPLETIONS, "{" + M + ",\"prompt\":\"p\",\"echo\":true}", "echo", "unknown_parameter",
                        "Unrecognized request argument supplied: echo"),
                bad(COMPLETIONS, "{\"prompt\":\"p\"}", "model", "missing_required_parameter",
                        "Missing required parameter: 'model'."),
                bad(COMPLETIONS, "", null, null, "The request body is empty; expected a JSON object."));
    }

    private static Arguments bad(String path, String body, String param, String code, String message) {
        return Arguments.of(path, body, param, code, message);
    }

    @ParameterizedTest(name = "{2} {3}: {1}")
    @MethodSource("invalidRequests")
    void invalidRequest_is400WithTheExactOpenAiErrorNamingTheField(String path, String body, String param, String code,
                                                                    String message) {
        HttpResponse<String> r = api.post(path, body);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(api.json(r.body())).isEqualTo(error(message, "invalid_request_error", param, code));
        assertThat(rejectedInvalid()).isEqualTo(rejectedBefore + 1);
    }

    @Test
    void malformedJson_is400WithoutAParam() {
        HttpResponse<String> r = api.post(CHAT, "{" + M + ", \"messages\": [");

        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode e = api.json(r.body()).path("error");
        assertThat(e.path("message").asString()).startsWith("We could not parse the JSON body of your request: ");
        assertThat(e.path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(e.path("param").isNull()).isTrue();
        assertThat(e.path("code").isNull()).isTrue();
    }

    @Test
    void unknownModel_is404ModelNotFound() {
        HttpResponse<String> r = api.post(CHAT, "{\"model\":\"gpt-4o\"," + USER + "}");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(api.json(r.body())).isEqualTo(error("The model 'gpt-4o' does not exist or you do not have access to it.",
                "invalid_request_error", "model", "model_not_found"));
    }

    @Test
    void aPromptLongerThanTheLimit_is400ContextLengthExceeded() {
        String prompt = "lighthouse keeper ".repeat(3000);

        HttpResponse<String> r = api.post(COMPLETIONS, "{" + M + ",\"prompt\":\"" + prompt + "\"}");

        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode e = api.json(r.body()).path("error");
        assertThat(e.path("param").asString()).isEqualTo("prompt");
        assertThat(e.path("code").asString()).isEqualTo("context_length_exceeded");
        assertThat(e.path("message").asString()).startsWith("This model's maximum prompt length is 4096 tokens. "
                + "However, your prompt resulted in ");
    }

    @Test
    void aBodyOverTheSizeLimit_is413() {
        String prompt = "x".repeat(1_100_000);

        HttpResponse<String> r = api.post(COMPLETIONS, "{" + M + ",\"prompt\":\"" + prompt + "\"}");

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(api.json(r.body())).isEqualTo(error("The request body is too large.", "invalid_request_error", null,
                "request_too_large"));
    }

    @Test
    void unknownPathAndWrongMethod_getOpenAiStyleErrors() {
        HttpResponse<String> notFound = api.post("/v1/embeddings", "{}");
        HttpResponse<String> wrongMethod = api.send(api.request(CHAT).GET());

        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(api.json(notFound.body()).path("error").path("code").asString()).isEqualTo("not_found");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(api.json(wrongMethod.body()).path("error").path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(api.json(wrongMethod.body()).path("error").path("code").asString()).isEqualTo("method_not_allowed");
    }

    @Test
    void refusals_areCountedByEndpointAndStatus() {
        api.post(CHAT, "{" + M + ",\"messages\":[]}");

        assertThat(registry.get("dragon.requests").tag("endpoint", "chat_completions").tag("status", "400")
                .counter().count()).isPositive();
    }

    private JsonNode error(String message, String type, String param, String code) {
        return api.json(api.write(ErrorResponse.of(message, type, param, code)));
    }

    private double rejectedInvalid() {
        return registry.get("dragon.requests.rejected").tag("reason", "invalid").counter().count();
    }

}
