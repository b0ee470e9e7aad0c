package dev.dragon.contracts.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every rule of the validator names its field and code; requests inside the limits pass. */
class RequestValidatorTest {

    private static final String USER = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    private final OpenAiJson json = new OpenAiJson();
    private final RequestValidator validator = new RequestValidator(new RequestLimits(100, 2));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"messages":[{"role":"user","content":"hi"}]}                  | model              | missing_required_parameter
            {"model":" ",USER}                                              | model              | missing_required_parameter
            {"model":"m"}                                                   | messages           | missing_required_parameter
            {"model":"m","messages":[]}                                     | messages           | empty_array
            {"model":"m","messages":[null]}                                 | messages[0]        | invalid_type
            {"model":"m","messages":[{"content":"x"}]}                      | messages[0].role   | missing_required_parameter
            {"model":"m","messages":[{"role":"user","content":"a"},{"role":"robot","content":"x"}]} | messages[1].role | invalid_value
            {"model":"m","messages":[{"role":"user"}]}                      | messages[0].content | missing_required_parameter
            {"model":"m",USER,"temperature":2.5}                            | temperature        | decimal_above_max_value
            {"model":"m",USER,"temperature":-0.1}                           | temperature        | decimal_below_min_value
            {"model":"m",USER,"top_p":0}                                    | top_p              | decimal_below_min_value
            {"model":"m",USER,"top_p":1.01}                                 | top_p              | decimal_above_max_value
            {"model":"m",USER,"n":2}                                        | n                  | invalid_value
            {"model":"m",USER,"max_tokens":0}                               | max_tokens         | integer_below_min_value
            {"model":"m",USER,"max_tokens":101}                             | max_tokens         | integer_above_max_value
            {"model":"m",USER,"max_tokens":5,"max_completion_tokens":101}   | max_completion_tokens | integer_above_max_value
            {"model":"m",USER,"stop":["a","b","c"]}                         | stop               | array_above_max_length
            {"model":"m",USER,"stop":["a",""]}                              | stop[1]            | invalid_value
            {"model":"m",USER,"stop":""}                                    | stop[0]            | invalid_value
            {"model":"m",USER,"stream_options":{"include_usage":true}}      | stream_options     | invalid_value
            {"model":"m",USER,"stream":false,"stream_options":{}}           | stream_options     | invalid_value
            {"model":"m",USER,"top_logprobs":21,"logprobs":true}            | top_logprobs       | integer_above_max_value
            {"model":"m",USER,"top_logprobs":2}                             | top_logprobs       | invalid_value
            """)
    void chat_namesTheFieldAtFault(String body, String param, String code) {
        Optional<Violation> v = validator.check(chat(body));

        assertThat(v).isPresent();
        assertThat(v.get().param()).isEqualTo(param);
        assertThat(v.get().code()).isEqualTo(code);
        assertThat(v.get().message()).contains(param.replaceAll("\\[.*", ""));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "{\"model\":\"m\",USER}",
        "{\"model\":\"m\",USER,\"temperature\":0,\"top_p\":1,\"n\":1,\"max_tokens\":100,\"stop\":[\"a\",\"b\"]}",
        "{\"model\":\"m\",USER,\"temperature\":2,\"top_p\":0.01,\"stream\":true,\"stream_options\":{\"include_usage\":true}}",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"developer\",\"content\":\"\"},{\"role\":\"assistant\",\"content\":\"x\"}]}",
        "{\"model\":\"m\",USER,\"logprobs\":true,\"top_logprobs\":20,\"seed\":-3,\"user\":\"u\"}",
    })
    void chat_acceptsRequestsWithinTheRulesAndLimits(String body) {
        assertThat(validator.check(chat(body))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"model":"m"}                               | prompt     | missing_required_parameter
            {"prompt":"p"}                              | model      | missing_required_parameter
            {"model":"m","prompt":"p","logprobs":6}     | logprobs   | integer_above_max_value
            {"model":"m","prompt":"p","logprobs":-1}    | logprobs   | integer_below_min_value
            {"model":"m","prompt":"p","max_tokens":101} | max_tokens | integer_above_max_value
            {"model":"m","prompt":"p","n":0}            | n          | invalid_value
            """)
    void completion_namesTheFieldAtFault(String body, String param, String code) {
        Violation v = validator.check(json.read(bytes(body), CompletionRequest.class)).orElseThrow();

        assertThat(v.param()).isEqualTo(param);
        assertThat(v.code()).isEqualTo(code);
    }

    @Test
    void completion_acceptsAnEmptyPromptAndLogprobsWithinRange() {
        assertThat(validator.check(CompletionRequest.of("m", ""))).isEmpty();
        assertThat(validator.check(json.read(bytes("{\"model\":\"m\",\"prompt\":\"p\",\"logprobs\":5}"),
                CompletionRequest.class))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"rating":1}                                                    | response_id          | missing_required_parameter
            {"response_id":"chatcmpl-1"}                                    | rating               | missing_required_parameter
            {"response_id":"chatcmpl-1","rating":2}                         | rating               | integer_above_max_value
            {"response_id":"chatcmpl-1","rating":0,"corrected_completion":""} | corrected_completion | invalid_value
            """)
    void feedback_namesTheFieldAtFault(String body, String param, String code) {
        Violation v = validator.check(json.read(bytes(body), FeedbackRequest.class)).orElseThrow();

        assertThat(v.param()).isEqualTo(param);
        assertThat(v.code()).isEqualTo(code);
    }

    @Test
    void feedback_acceptsARatingWithACorrection() {
        assertThat(validator.check(new FeedbackRequest("chatcmpl-1", -1, "better text"))).isEmpty();
    }

    @Test
    void violation_becomesAnInvalidRequestErrorBody() {
        Violation v = new Violation("top_p", "bad", "decimal_above_max_value");

        assertThat(v.toErrorResponse()).isEqualTo(
                ErrorResponse.of("bad", "invalid_request_error", "top_p", "decimal_above_max_value"));
    }

    private ChatCompletionRequest chat(String body) {
        return json.read(bytes(body.replace("USER", USER)), ChatCompletionRequest.class);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
