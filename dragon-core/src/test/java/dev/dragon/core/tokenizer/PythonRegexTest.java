package dev.dragon.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.core.json.JsonField;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PythonRegexTest {

    /** python-pieces.json holds Python's re.findall for 400 random Unicode texts per pattern (see python_pieces.py). */
    @Test
    void matchesExactlyWhatPythonReFinds() throws IOException {
        JsonField cases;
        try (InputStream in = getClass().getResourceAsStream("/tokenizer/python-pieces.json")) {
            cases = JsonField.parse(in.readAllBytes());
        }
        int checked = 0;
        for (JsonField c : cases.elements()) {
            Pattern pattern = PythonRegex.compile(c.get("pattern").string());
            for (JsonField split : c.get("splits").elements()) {
                String text = split.elements().get(0).string();
                List<String> expected = split.elements().get(1).stringList();
                assertThat(findAll(pattern, text)).as("pattern %s on %s", pattern, text).isEqualTo(expected);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(1600);
    }

    @Test
    void rewritesShorthandClassesOutsideAndInsideBrackets() {
        assertThat(PythonRegex.toJava("\\d+")).isEqualTo("\\p{Nd}+");
        assertThat(PythonRegex.toJava("[^\\W\\d_]")).isEqualTo("[^[^\\p{L}\\p{N}_]\\p{Nd}_]");
        assertThat(PythonRegex.toJava("[]a]")).isEqualTo("[\\]a]");
        assertThat(PythonRegex.toJava("[a[&]")).isEqualTo("[a\\[\\&]");
        assertThat(PythonRegex.toJava("\\\\w")).isEqualTo("\\\\w");
        assertThat(PythonRegex.toJava("x\\Z")).isEqualTo("x\\z");
        assertThat(PythonRegex.toJava("(?P<n>a)(?P=n)")).isEqualTo("(?<n>a)\\k<n>");
        assertThat(PythonRegex.toJava("(?<=a)(?<!b)")).isEqualTo("(?<=" + PythonRegex.SUPPLEMENTARY_NO_OP + "a)(?<!"
                + PythonRegex.SUPPLEMENTARY_NO_OP + "b)");
    }

    @Test
    void combiningMarksAreNotWordCharactersAsInPython() {
        Pattern word = PythonRegex.compile("\\w+");
        assertThat(findAll(word, "e\u0301t\u00e9")).containsExactly("e", "t\u00e9");
        assertThat(findAll(PythonRegex.compile("."), "a\u2028b\nc")).containsExactly("a", "\u2028", "b", "c");
    }

    @Test
    void lookBehindSeesSupplementaryCharactersWhole() {
        String text = "C\uD835\uDC44+"; // C, U+1D444 (a letter), +
        assertThat(findAll(PythonRegex.compile("\\b\\w+\\b"), text)).containsExactly("C\uD835\uDC44");
        assertThat(findAll(PythonRegex.compile("(?<=\\w)\\+"), text)).containsExactly("+");
    }

    private static List<String> findAll(Pattern pattern, String text) {
        List<String> out = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }
}
