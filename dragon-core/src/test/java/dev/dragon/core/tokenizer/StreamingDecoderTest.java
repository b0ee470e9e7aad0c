package dev.dragon.core.tokenizer;

import static dev.dragon.core.tokenizer.TestTokenizers.EMOJI_HEAD;
import static dev.dragon.core.tokenizer.TestTokenizers.EMOJI_TAIL;
import static dev.dragon.core.tokenizer.TestTokenizers.EURO_HEAD;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamingDecoderTest {

    private final BpeTokenizer tokenizer = TestTokenizers.tokenizer();

    @Test
    void holdsBackACharacterSplitAcrossTokens() {
        StreamingDecoder decoder = tokenizer.streamingDecoder();
        assertThat(decoder.push('a')).isEqualTo("a");
        assertThat(decoder.push(EURO_HEAD)).isEmpty();
        assertThat(decoder.hasPending()).isTrue();
        assertThat(decoder.push(0xac)).isEqualTo("€");
        assertThat(decoder.hasPending()).isFalse();
        assertThat(decoder.push(EMOJI_HEAD)).isEmpty();
        assertThat(decoder.push(EMOJI_TAIL)).isEqualTo("😀");
        assertThat(decoder.finish()).isEmpty();
    }

    @Test
    void holdsBackAcrossSingleByteTokensToo() {
        StreamingDecoder decoder = tokenizer.streamingDecoder();
        assertThat(decoder.push(0xf0)).isEmpty();
        assertThat(decoder.push(0x9f)).isEmpty();
        assertThat(decoder.push(0x98)).isEmpty();
        assertThat(decoder.push(0x80)).isEqualTo("😀");
    }

    @Test
    void definitelyInvalidBytesBecomeReplacementCharactersAtOnce() {
        StreamingDecoder decoder = tokenizer.streamingDecoder();
        assertThat(decoder.push(0xff)).isEqualTo("\uFFFD");
        assertThat(decoder.push(0x80)).isEqualTo("\uFFFD"); // a lone continuation byte
        assertThat(decoder.push(EURO_HEAD)).isEmpty();
        assertThat(decoder.push('x')).isEqualTo("\uFFFDx"); // the held prefix cannot complete any more
        assertThat(decoder.push(0xed)).isEmpty();
        assertThat(decoder.push(0xa0)).isEqualTo("\uFFFD\uFFFD"); // ed a0 would be a surrogate
    }

    @Test
    void finishFlushesAnIncompleteCharacter() {
        StreamingDecoder decoder = tokenizer.streamingDecoder();
        assertThat(decoder.push(EMOJI_HEAD)).isEmpty();
        assertThat(decoder.finish()).isEqualTo("\uFFFD");
        assertThat(decoder.hasPending()).isFalse();
    }

    @Test
    void specialTokensEmitNothingAndDoNotBreakAPendingCharacter() {
        StreamingDecoder decoder = tokenizer.streamingDecoder();
        assertThat(decoder.push(EURO_HEAD)).isEmpty();
        assertThat(decoder.push(TestTokenizers.END)).isEmpty();
        assertThat(decoder.push(0xac)).isEqualTo("€");
    }
}
