package dev.dragon.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class TokenizerFileTest {

    @Test
    void rejectsUnknownVersionAndBadPattern() {
        assertRejected(j -> j.put("version", 2), "field 'version': unsupported version 2");
        assertRejected(j -> j.put("pattern", "(unclosed"), "field 'pattern': not a valid regular expression");
    }

    @Test
    void rejectsInconsistentTokensAndMerges() {
        assertRejected(j -> ((ArrayNode) j.get("tokens")).set(65, "42"), "field 'tokens[65]': byte token 65 must be '41'");
        assertRejected(j -> ((ArrayNode) j.get("tokens")).set(257, "74686"), "field 'tokens[257]': not an even-length hex");
        assertRejected(j -> ((ArrayNode) j.get("tokens")).set(257, "746865ff"),
                "field 'merges[1]': merge 1 joins to 746865 but token 257 is 746865ff");
        assertRejected(j -> ((ArrayNode) j.get("merges").get(1)).set(0, 300),
                "field 'merges[1]': id 300 must be an earlier token, in [0, 257)");
        assertRejected(j -> ((ArrayNode) j.get("merges")).remove(10), "field 'merges': 10 merges need 266 tokens");
        assertRejected(j -> ((ArrayNode) j.get("merges").get(0)).add(1), "expected a pair of ids");
    }

    @Test
    void rejectsBadSpecialTokensAndTemplate() {
        assertRejected(j -> ((ObjectNode) j.get("special_tokens")).put("<|pad|>", 100),
                "field 'special_tokens.<|pad|>': must be >= 267, got 100");
        assertRejected(j -> ((ObjectNode) j.get("special_tokens")).put("<|pad|>", TestTokenizers.EOS),
                "id 268 is also used by '<|eos|>'");
        assertRejected(j -> ((ObjectNode) j.get("special_tokens")).remove("<|eos|>"),
                "field 'special_tokens': must define '<|eos|>'");
        assertRejected(j -> ((ObjectNode) j.get("chat_template").get("roles")).put("tool", "<|tool|>"),
                "field 'chat_template.roles.tool': '<|tool|>' is not a special token");
        assertRejected(j -> ((ObjectNode) j.get("chat_template")).remove("generation_prompt"),
                "field 'chat_template.generation_prompt': missing");
        assertRejected(j -> ((ObjectNode) j.get("chat_template")).putArray("stop"),
                "field 'chat_template.stop': must name at least one stop token");
    }

    private static void assertRejected(Consumer<ObjectNode> change, String message) {
        ObjectNode json = TestTokenizers.json();
        change.accept(json);
        assertThatThrownBy(() -> TestTokenizers.tokenizer(json, 8)).isInstanceOf(TokenizerException.class)
                .hasMessageContaining(message);
    }
}
