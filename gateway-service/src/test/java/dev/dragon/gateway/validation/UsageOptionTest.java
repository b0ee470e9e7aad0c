package dev.dragon.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.contracts.openai.ChatCompletionRequest;
import dev.dragon.contracts.openai.OpenAiJson;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UsageOptionTest {

    private static final OpenAiJson JSON = new OpenAiJson();

    @Test
    void theMember_isSplicedBeforeTheClosingBrace_leavingEveryOtherByteAlone() {
        String body = "{ \"model\":\"m\", \"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"é\\n\"}] }  \n";
        assertThat(splice(body)).isEqualTo("{ \"model\":\"m\", \"stream\":true,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"é\\n\"}] ,\"stream_options\":{\"include_usage\":true}}  \n");
        ChatCompletionRequest parsed = JSON.read(splice(body).getBytes(StandardCharsets.UTF_8), ChatCompletionRequest.class);
        assertThat(parsed.includeUsage()).isTrue();
        assertThat(parsed.messages().get(0).content()).isEqualTo("é\n");
    }

    @Test
    void anEmptyObject_getsTheMemberWithoutAComma() {
        assertThat(splice("{ }")).isEqualTo("{ \"stream_options\":{\"include_usage\":true}}");
    }

    @Test
    void aBodyThatMayAlreadyHoldStreamOptions_isLeftToBeRewritten() {
        assertThat(splice("{\"stream_options\":null,\"stream\":true}")).isNull();
        // a key spelled with a unicode escape is the same key to the router's parser
        assertThat(splice("{\"stream" + "\\" + "u005foptions\":null}")).isNull();
    }

    @Test
    void maxTokens_isSplicedLikeTheUsageOption_unlessTheKeyIsAlreadyThere() {
        byte[] out = UsageOption.spliceMaxTokens("{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8), 64);
        assertThat(new String(out, StandardCharsets.UTF_8)).isEqualTo("{\"model\":\"m\",\"max_tokens\":64}");
        assertThat(UsageOption.spliceMaxTokens("{\"max_tokens\":null}".getBytes(StandardCharsets.UTF_8), 64)).isNull();
    }

    private static String splice(String body) {
        byte[] out = UsageOption.splice(body.getBytes(StandardCharsets.UTF_8));
        return out == null ? null : new String(out, StandardCharsets.UTF_8);
    }
}
