package dev.dragon.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JsonFieldTest {

    private final JsonField root = JsonField.parse(
            "{\"a\": {\"n\": 3, \"big\": 9999999999, \"x\": 1.5, \"s\": \"hi\", \"list\": [[1, 2], [3, \"x\"]]}}");

    @Test
    void readsTypedValues() {
        JsonField a = root.get("a");
        assertThat(a.get("n").intValue()).isEqualTo(3);
        assertThat(a.get("big").longValue()).isEqualTo(9_999_999_999L);
        assertThat(a.get("x").doubleValue()).isEqualTo(1.5);
        assertThat(a.get("s").string()).isEqualTo("hi");
        assertThat(a.get("list").elements().get(0).intArray()).containsExactly(1, 2);
        assertThat(a.members().keySet()).containsExactly("n", "big", "x", "s", "list");
    }

    @Test
    void errorsNameTheFullPath() {
        JsonField a = root.get("a");
        assertThatThrownBy(() -> a.get("missing")).isInstanceOf(JsonFieldException.class)
                .hasMessage("field 'a.missing': missing");
        assertThatThrownBy(() -> a.get("big").intValue()).hasMessageContaining("'a.big'")
                .hasMessageContaining("32-bit integer");
        assertThatThrownBy(() -> a.get("s").intValue()).hasMessageContaining("'a.s'").hasMessageContaining("\"hi\"");
        assertThatThrownBy(() -> a.get("list").elements().get(1).intArray())
                .hasMessageContaining("'a.list[1][1]'");
        assertThatThrownBy(() -> a.get("n").intAtLeast(4)).hasMessageContaining("must be >= 4, got 3");
        assertThatThrownBy(() -> a.get("list").elements(3)).hasMessageContaining("expected 3 entries, got 2");
        assertThat(((JsonFieldException) org.assertj.core.api.Assertions.catchThrowable(() -> a.get("x").string()))
                .path()).isEqualTo("a.x");
    }

    @Test
    void rejectsSyntaxErrorsAndDuplicateKeys() {
        assertThatThrownBy(() -> JsonField.parse("{\"a\": ")).isInstanceOf(JsonFieldException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> JsonField.parse("{\"a\": 1, \"a\": 2}")).hasMessageContaining("not valid JSON")
                .hasMessageContaining("a");
        assertThatThrownBy(() -> JsonField.parse("")).isInstanceOf(JsonFieldException.class);
    }

    @Test
    void nullCountsAsMissing() {
        JsonField doc = JsonField.parse("{\"a\": null}");
        assertThat(doc.has("a")).isFalse();
        assertThatThrownBy(() -> doc.get("a")).hasMessage("field 'a': missing");
    }
}
