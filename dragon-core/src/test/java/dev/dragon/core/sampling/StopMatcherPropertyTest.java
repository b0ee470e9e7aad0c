package dev.dragon.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class StopMatcherPropertyTest {

    /** Text over a tiny alphabet so that stops and partial stops occur often. */
    @Provide
    Arbitrary<String> text() {
        return Arbitraries.strings().withChars("abc").ofMaxLength(40);
    }

    @Provide
    Arbitrary<List<String>> stops() {
        return Arbitraries.strings().withChars("abc").ofMinLength(1).ofMaxLength(4).list().ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, 5).list().ofMaxSize(40);
    }

    @Property(tries = 3000)
    void emitsExactlyTheTextBeforeTheFirstStopHoweverItIsChunked(@ForAll("text") String text,
                                                                  @ForAll("stops") List<String> stops,
                                                                  @ForAll("cuts") List<Integer> cuts) {
        // reference: feed the text one char at a time; stop where a stop sequence first ends
        int first = -1;
        String firstStop = null;
        for (int end = 1; end <= text.length() && firstStop == null; end++) {
            for (String stop : stops) {
                if (text.startsWith(stop, end - stop.length()) && end >= stop.length()
                        && (firstStop == null || stop.length() > firstStop.length())) {
                    firstStop = stop;
                    first = end - stop.length();
                }
            }
        }
        String expected = first < 0 ? text : text.substring(0, first);

        StopMatcher matcher = new StopMatcher(stops);
        StringBuilder emitted = new StringBuilder();
        StringBuilder fed = new StringBuilder();
        String matched = null;
        int maxStop = stops.stream().mapToInt(String::length).max().orElse(0);
        for (String chunk : chunks(text, cuts)) {
            fed.append(chunk);
            StopMatcher.Step step = matcher.push(chunk);
            emitted.append(step.text());
            assertThat(expected).startsWith(emitted.toString()); // never emits past a stop
            if (step.stopped()) {
                matched = step.matchedStop();
                break;
            }
            // holds back no more than a proper stop prefix
            assertThat(matcher.heldLength()).isLessThanOrEqualTo(Math.max(0, maxStop - 1));
            assertThat(emitted.length() + matcher.heldLength()).isEqualTo(fed.length());
        }
        if (matched == null) {
            emitted.append(matcher.finish());
        }
        assertThat(emitted.toString()).isEqualTo(expected);
        if (firstStop != null) {
            assertThat(matched).isNotNull();
            assertThat(text.startsWith(matched, first)).isTrue();
        } else {
            assertThat(matched).isNull();
        }
        for (String stop : stops) {
            assertThat(emitted.toString()).doesNotContain(stop);
        }
    }

    private static List<String> chunks(String text, List<Integer> cuts) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int cut : cuts) {
            int end = Math.min(text.length(), start + cut);
            out.add(text.substring(start, end));
            start = end;
        }
        out.add(text.substring(start));
        return out;
    }
}
