package dev.dragon.contracts.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The strict codec: what it accepts, and the field and code it names for everything it refuses. */
class OpenAiJsonTest {

    private final OpenAiJson json = new OpenAiJson();

    @Test
    void read_acceptsAFullChatRequest_withSnakeCaseNamesAndStopAsAString() {
        ChatCompletionRequest r = read("""
                {"model":"m","messages":[{"role":"user","content":"hi","name":"ann"}],"temperature":1,
                 "top_p":0.5,"max_tokens":7,"max_completion_tokens":9,"n":1,"stream":true,
                 "stream_options":{"include_usage":true},"stop":"END","seed":42,"logprobs":true,"top_logprobs":3,
                 "user":"u1","dragon":{"return_experts":true,"ignore_eos":false,"cache":false}}""",
                ChatCompletionRequest.class);

        assertThat(r.messages()).containsExactly(new ChatMessage("user", "hi", "ann"));
        assertThat(r.temperature()).isEqualTo(1.0);
        assertThat(r.topP()).isEqualTo(0.5);
        assertThat(r.requestedMaxTokens()).isEqualTo(9);
        assertThat(r.maxTokensParam()).isEqualTo("max_completion_tokens");
        assertThat(r.stop()).containsExactly("END");
        assertThat(r.seed()).isEqualTo(42L);
        assertThat(r.includeUsage()).isTrue();
        assertThat(r.topLogprobCount()).isEqualTo(3);
        assertThat(r.dragonOrDefault().wantsExperts()).isTrue();
        assertThat(r.dragonOrDefault().ignoresEos()).isFalse();
        assertThat(r.dragonOrDefault().cacheAllowed()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"C0AF, overlong '/'", "E080AF, overlong '/' in three bytes", "FF, never valid", "C328, bad continuation",
            "EDA080, a surrogate", "E282, truncated"})
    void read_refusesInvalidUtf8_overlongFormsIncluded(String hex, String what) {
        byte[] head = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"ab".getBytes(StandardCharsets.UTF_8);
        byte[] bad = java.util.HexFormat.of().parseHex(hex);
        byte[] tail = "cd\"}]}".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + bad.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(bad, 0, body, head.length, bad.length);
        System.arraycopy(tail, 0, body, head.length + bad.length, tail.length);

        assertThatThrownBy(() -> json.read(body, ChatCompletionRequest.class)).as(what)
                .isInstanceOfSatisfying(ViolationException.class, e -> assertThat(e.violation().message())
                        .contains("not valid UTF-8").contains("byte offset " + head.length));
    }

    @Test
    void read_acceptsStopAsAnArray_andNullsAsAbsent() {
        CompletionRequest r = read("""
                {"model":"m","prompt":"p","stop":["a","b"],"temperature":null,"logprobs":2}""", CompletionRequest.class);

        assertThat(r.stop()).containsExactly("a", "b");
        assertThat(r.temperature()).isNull();
        assertThat(r.topLogprobCount()).isEqualTo(2);
        assertThat(r.wantsLogprobs()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"model":"m","temperature":"0.5"}           | temperature          | invalid_type      | expected a number, but got a string
            {"model":"m","max_tokens":1.5}              | max_tokens           | invalid_type      | expected an integer, but got a decimal
            {"model":"m","max_tokens":"7"}              | max_tokens           | invalid_type      | expected an integer, but got a string
            {"model":"m","stream":1}                    | stream               | invalid_type      | expected a boolean, but got an integer
            {"model":"m","stream":"true"}               | stream               | invalid_type      | expected a boolean, but got a string
            {"model":5}                                 | model                | invalid_type      | expected a string, but got an integer
            {"model":"m","messages":"hi"}               | messages             | invalid_type      | expected an array, but got a string
            {"model":"m","messages":[{"role":"user","content":7}]} | messages[0].content | invalid_type | expected a string, but got an integer
            {"model":"m","messages":[{"role":true,"content":"x"}]} | messages[0].role | invalid_type | expected a string, but got a boolean
            {"model":"m","stop":[1]}                    | stop[0]              | invalid_type      | expected a string, but got an integer
            {"model":"m","stream_options":{"include_usage":"yes"}} | stream_options.include_usage | invalid_type | expected a boolean
            {"model":"m","seed":"1"}                    | seed                 | invalid_type      | expected an integer, but got a string
            {"model":"m","dragon":[]}                   | dragon               | invalid_type      | expected an object, but got an array
            {"model":"m","frequency_penalty":0}         | frequency_penalty    | unknown_parameter | Unrecognized request argument supplied: frequency_penalty
            {"model":"m","messages":[{"role":"user","content":"x","tool_calls":[]}]} | messages[0].tool_calls | unknown_parameter | Unrecognized request argument supplied: messages[0].tool_calls
            {"model":"m","dragon":{"experts":true}}     | dragon.experts       | unknown_parameter | Unrecognized request argument supplied: dragon.experts
            """)
    void read_namesTheFieldAtFault_forWrongTypesAndUnknownFields(String body, String param, String code, String message) {
        assertThatThrownBy(() -> read(body, ChatCompletionRequest.class))
                .isInstanceOfSatisfying(ViolationException.class, e -> {
                    assertThat(e.violation().param()).isEqualTo(param);
                    assertThat(e.violation().code()).isEqualTo(code);
                    assertThat(e.violation().message()).contains(message);
                });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {"model":"m",                     | We could not parse the JSON body
            {"model":"m","messages":[         | We could not parse the JSON body
            {"model":"m","stop":["a"          | We could not parse the JSON body
            {"model":"m"} {"x":1}             | We could not parse the JSON body
            {"model":"m","model":"n"}         | We could not parse the JSON body
            `   `                             | The request body is empty
            null                              | Expected a JSON object
            [1,2]                             | expected an object, but got an array
            """)
    void read_refusesBodiesThatAreNotOneJsonObject_withoutAParam(String body, String message) {
        assertThatThrownBy(() -> read(body, ChatCompletionRequest.class))
                .isInstanceOfSatisfying(ViolationException.class, e -> {
                    assertThat(e.violation().param()).isNull();
                    assertThat(e.violation().message()).contains(message);
                });
    }

    @Test
    void write_framesErrorsWithExplicitNullParamAndCode() {
        JsonNode node = json.mapper().readTree(json.writeString(ErrorResponse.of("boom", "server_error", null, null)));

        assertThat(node.path("error").propertyNames()).containsExactlyInAnyOrder("message", "type", "param", "code");
        assertThat(node.path("error").path("param").isNull()).isTrue();
    }

    @Test
    void write_chunkUsesSnakeCase_keepsNullFinishReasonAndLogprobs_andOmitsAbsentFields() {
        var chunk = new ChatCompletionChunk("chatcmpl-1", ChatCompletionChunk.OBJECT, 5, "m", null,
                List.of(new ChatCompletionChunk.Choice(0, new ChatCompletionChunk.Delta(null, "hi"), null, null)),
                null, new DragonTokenTrace(7, List.of(List.of(1, 2))));

        assertThat(json.writeString(chunk)).isEqualTo("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\","
                + "\"created\":5,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},"
                + "\"logprobs\":null,\"finish_reason\":null}],\"dragon\":{\"token\":7,\"experts\":[[1,2]]}}");
    }

    @Test
    void usage_roundTripsThroughTheWireNames() {
        String wire = json.writeString(Usage.of(3, 4, 2));

        assertThat(wire).isEqualTo("{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":2}}");
        assertThat(read(wire, Usage.class)).isEqualTo(new Usage(3, 4, 7, new Usage.PromptTokensDetails(2)));
    }

    private <T> T read(String body, Class<T> type) {
        return json.read(body.getBytes(StandardCharsets.UTF_8), type);
    }
}
