package dev.dragon.core.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dragon.core.bundle.GoldenReference.Case;
import dev.dragon.core.bundle.GoldenReference.Kind;
import dev.dragon.core.bundle.GoldenReference.Message;
import dev.dragon.core.bundle.GoldenReference.TopLogit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoldenReferenceTest {

    static final String GOLDEN = """
            {"model": "tiny", "version": "1.0.0", "steps": 2, "top_logits": 2,
             "cases": [
               {"name": "once", "kind": "completion", "prompt": "Once upon",
                "prompt_ids": [299, 79, 110], "greedy_ids": [32, 298], "greedy_text": " x",
                "steps": [{"top": [[32, 5.5], [33, 4.25]], "experts": [[1, 3], [0, 2]]},
                          {"top": [[298, 7.0], [10, -1.5]], "experts": [[3, 1], [2, 0]]}]},
               {"name": "hello", "kind": "chat", "messages": [{"role": "system", "content": "Be brief."},
                                                            {"role": "user", "content": "Hi"}],
                "prompt_ids": [299, 296, 66, 297], "greedy_ids": [], "greedy_text": "", "steps": []}],
             "tokenizer_cases": [{"text": "hi", "ids": [104, 105]}, {"text": "", "ids": []}]}
            """;

    @TempDir
    Path dir;

    @Test
    void parsesCasesStepsAndTokenizerCases() throws Exception {
        Path file = dir.resolve("golden.json");
        Files.writeString(file, GOLDEN);
        GoldenReference golden = GoldenReference.read(file);

        assertThat(golden.model()).isEqualTo("tiny");
        assertThat(golden.steps()).isEqualTo(2);
        assertThat(golden.topLogits()).isEqualTo(2);
        Case once = golden.cases().get(0);
        assertThat(once.kind()).isEqualTo(Kind.COMPLETION);
        assertThat(once.prompt()).isEqualTo("Once upon");
        assertThat(once.messages()).isEmpty();
        assertThat(once.promptIdArray()).containsExactly(299, 79, 110);
        assertThat(once.greedyIdArray()).containsExactly(32, 298);
        assertThat(once.greedyText()).isEqualTo(" x");
        assertThat(once.steps()).hasSize(2);
        assertThat(once.steps().get(0).top()).containsExactly(new TopLogit(32, 5.5f), new TopLogit(33, 4.25f));
        assertThat(once.steps().get(1).experts()).containsExactly(List.of(3, 1), List.of(2, 0));

        Case hello = golden.cases().get(1);
        assertThat(hello.kind()).isEqualTo(Kind.CHAT);
        assertThat(hello.prompt()).isNull();
        assertThat(hello.messages()).containsExactly(new Message("system", "Be brief."), new Message("user", "Hi"));
        assertThat(golden.tokenizerCases().get(0).idArray()).containsExactly(104, 105);
        assertThat(golden.tokenizerCases().get(1).ids()).isEmpty();
    }

    @Test
    void problemsNameTheFileAndField() {
        assertThatThrownBy(() -> parse(GOLDEN.replace("\"kind\": \"chat\"", "\"kind\": \"poem\"")))
                .isInstanceOf(BundleException.class)
                .hasMessage("golden.json: field 'cases[1].kind': expected 'completion' or 'chat', got 'poem'");
        assertThatThrownBy(() -> parse(GOLDEN.replace("[[32, 5.5], [33, 4.25]]", "[[32, 5.5, 1], [33, 4.25]]")))
                .hasMessageContaining("'cases[0].steps[0].top[0]': expected 2 entries, got 3");
        assertThatThrownBy(() -> parse(GOLDEN.replace("\"prompt\": \"Once upon\",", "")))
                .hasMessageContaining("'cases[0].prompt': missing");
        assertThatThrownBy(() -> parse(GOLDEN.replace("[104, 105]", "[104, -1]")))
                .hasMessageContaining("'tokenizer_cases[0].ids[1]': must be >= 0");
    }

    @Test
    void unreadableFileIsNamed() {
        assertThatThrownBy(() -> GoldenReference.read(dir.resolve("nope.json")))
                .isInstanceOf(BundleException.class).hasMessageStartingWith("nope.json: cannot read");
    }

    private static GoldenReference parse(String json) {
        return GoldenReference.parse(json.getBytes(StandardCharsets.UTF_8), "golden.json");
    }
}
