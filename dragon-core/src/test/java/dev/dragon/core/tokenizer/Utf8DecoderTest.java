package dev.dragon.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Replacement follows Unicode's "maximal subpart" practice, as Python's {@code decode('utf-8', 'replace')} does. */
class Utf8DecoderTest {

    @Test
    void eachMaximalInvalidSubpartBecomesOneReplacement() {
        assertThat(decode(0xed, 0xbf)).isEqualTo("\uFFFD\uFFFD");      // ed must be followed by 80..9f
        assertThat(decode(0xe2, 0x82)).isEqualTo("\uFFFD");            // truncated but valid prefix
        assertThat(decode(0xf0, 0x9f, 0x98)).isEqualTo("\uFFFD");
        assertThat(decode(0xc0, 0xaf)).isEqualTo("\uFFFD\uFFFD");      // overlong
        assertThat(decode(0xf4, 0x90, 0x80, 0x80)).isEqualTo("\uFFFD\uFFFD\uFFFD\uFFFD"); // above U+10FFFF
        assertThat(decode(0xe2, 0x82, 0x41)).isEqualTo("\uFFFDA");
        assertThat(decode(0xf5)).isEqualTo("\uFFFD");
    }

    @Test
    void decodesAllSequenceLengths() {
        assertThat(decode(0x41, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80)).isEqualTo("Aé€😀");
        assertThat(decode(0xf4, 0x8f, 0xbf, 0xbf)).isEqualTo(new String(Character.toChars(0x10ffff)));
    }

    private static String decode(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        Utf8Decoder decoder = new Utf8Decoder();
        StringBuilder out = new StringBuilder();
        decoder.decode(bytes, 0, bytes.length, out);
        decoder.finish(out);
        return out.toString();
    }
}
