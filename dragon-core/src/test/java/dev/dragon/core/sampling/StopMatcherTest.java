package dev.dragon.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopMatcherTest {

    @Test
    void findsAStopSplitAcrossTokensWithoutEmittingIt() {
        StopMatcher matcher = new StopMatcher(List.of("world"));
        assertThat(matcher.push("Hello wor")).isEqualTo(new StopMatcher.Step("Hello ", null));
        assertThat(matcher.heldLength()).isEqualTo(3);
        StopMatcher.Step step = matcher.push("ld! more");
        assertThat(step.stopped()).isTrue();
        assertThat(step.text()).isEmpty();
        assertThat(step.matchedStop()).isEqualTo("world");
        assertThat(matcher.stopped()).isTrue();
    }

    @Test
    void releasesHeldTextOnceItCannotBeAStop() {
        StopMatcher matcher = new StopMatcher(List.of("</s>"));
        assertThat(matcher.push("a <").text()).isEqualTo("a ");
        assertThat(matcher.push("/").text()).isEmpty();
        assertThat(matcher.push("b>").text()).isEqualTo("</b>");
        assertThat(matcher.heldLength()).isZero();
    }

    @Test
    void emitsTextBeforeAStopInTheSameChunk() {
        StopMatcher matcher = new StopMatcher(List.of("\n\n"));
        StopMatcher.Step step = matcher.push("line one\n\nline two");
        assertThat(step).isEqualTo(new StopMatcher.Step("line one", "\n\n"));
    }

    @Test
    void theStopThatCompletesFirstWinsWhateverTheChunking() {
        // "b" is complete after "ab", before "cd" or "bcx" could be
        assertThat(new StopMatcher(List.of("cd", "bcx", "b")).push("abcd")).isEqualTo(new StopMatcher.Step("a", "b"));
        assertThat(new StopMatcher(List.of("abc", "b")).push("abc")).isEqualTo(new StopMatcher.Step("a", "b"));
        StopMatcher chunked = new StopMatcher(List.of("abc", "b"));
        assertThat(chunked.push("ab")).isEqualTo(new StopMatcher.Step("a", "b"));
        // both complete at the same point: the longer one, which starts earlier, counts
        StopMatcher other = new StopMatcher(List.of("yz", "xyz"));
        assertThat(other.push("axy").text()).isEqualTo("a");
        assertThat(other.push("z")).isEqualTo(new StopMatcher.Step("", "xyz"));
    }

    @Test
    void holdsTheLongestPossibleStopPrefix() {
        StopMatcher matcher = new StopMatcher(List.of("aab"));
        assertThat(matcher.push("xaa").text()).isEqualTo("x");
        assertThat(matcher.push("a").text()).isEqualTo("a"); // "aaa": only the last "aa" can still start "aab"
        assertThat(matcher.push("b").matchedStop()).isEqualTo("aab");
    }

    @Test
    void finishReleasesWhatWasHeld() {
        StopMatcher matcher = new StopMatcher(List.of("STOP"));
        assertThat(matcher.push("the end ST").text()).isEqualTo("the end ");
        assertThat(matcher.finish()).isEqualTo("ST");
        assertThat(matcher.stopped()).isFalse();
    }

    @Test
    void withoutStopsEverythingIsEmittedAtOnce() {
        StopMatcher matcher = new StopMatcher(List.of());
        assertThat(matcher.push("anything")).isEqualTo(new StopMatcher.Step("anything", null));
        assertThat(matcher.finish()).isEmpty();
    }

    @Test
    void refusesMisuse() {
        assertThatThrownBy(() -> new StopMatcher(List.of(""))).isInstanceOf(IllegalArgumentException.class);
        StopMatcher matcher = new StopMatcher(List.of("x"));
        matcher.push("x");
        assertThatThrownBy(() -> matcher.push("y")).isInstanceOf(IllegalStateException.class);
    }
}
