package dev.dragon.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.core.bundle.GoldenReference;
import dev.dragon.core.bundle.ModelBundle;
import dev.dragon.core.testing.ShippedModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped bundle's tokenizer reproduces the ids PyTorch-side tooling recorded in golden.json. */
class ShippedTokenizerGoldenTest {

    @Test
    void reproducesGoldenTokenizerCasesAndPrompts() throws Exception {
        ModelBundle bundle = ShippedModel.bundle();
        BpeTokenizer tokenizer = BpeTokenizer.load(bundle.tokenizerFile());
        GoldenReference golden = bundle.golden();

        assertThat(tokenizer.vocabSize()).isEqualTo(bundle.architecture().vocabSize());
        for (GoldenReference.TokenizerCase c : golden.tokenizerCases()) {
            assertThat(tokenizer.encode(c.text())).as(c.text()).containsExactly(c.idArray());
            assertThat(tokenizer.decode(c.idArray())).isEqualTo(c.text());
        }
        ChatTemplate template = tokenizer.chatTemplate();
        for (GoldenReference.Case c : golden.cases()) {
            int[] prompt = switch (c.kind()) {
                case COMPLETION -> template.completionPrompt(c.prompt());
                case CHAT -> template.chatPrompt(toChat(c.messages()));
            };
            assertThat(prompt).as(c.name()).containsExactly(c.promptIdArray());
            assertThat(tokenizer.decode(c.greedyIdArray())).as(c.name()).isEqualTo(c.greedyText());
        }
    }

    private static List<ChatMessage> toChat(List<GoldenReference.Message> messages) {
        return messages.stream().map(m -> new ChatMessage(m.role(), m.content())).toList();
    }
}
