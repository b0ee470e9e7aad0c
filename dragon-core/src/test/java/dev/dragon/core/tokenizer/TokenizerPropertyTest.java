package dev.dragon.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class TokenizerPropertyTest {

    private final BpeTokenizer tokenizer = TestTokenizers.tokenizer();

    @Property(tries = 2000)
    void decodeInvertsEncode(@ForAll("unicodeText") String text) {
        assertThat(tokenizer.decode(tokenizer.encode(text))).isEqualTo(text);
    }

    @Property(tries = 500)
    void encodingIsIndependentOfTheCache(@ForAll("unicodeText") String text) {
        BpeTokenizer uncached = TestTokenizers.tokenizer(TestTokenizers.json(), 0);
        assertThat(tokenizer.encode(text)).containsExactly(uncached.encode(text));
    }

    @Property(tries = 1000)
    void streamingDecodeEqualsBatchDecode(@ForAll("tokenIds") List<Integer> ids) {
        int[] array = ids.stream().mapToInt(Integer::intValue).toArray();
        StreamingDecoder decoder = tokenizer.streamingDecoder();
        StringBuilder streamed = new StringBuilder();
        for (int id : array) {
            streamed.append(decoder.push(id));
        }
        streamed.append(decoder.finish());
        assertThat(streamed.toString()).isEqualTo(tokenizer.decode(array));
    }

    @Property(tries = 1000)
    void streamingOfValidTextNeverEmitsReplacementCharacters(@ForAll("unicodeText") String text) {
        StreamingDecoder decoder = tokenizer.streamingDecoder();
        StringBuilder streamed = new StringBuilder();
        for (int id : tokenizer.encode(text)) {
            String piece = decoder.push(id);
            assertThat(piece).doesNotContain("\uFFFD");
            streamed.append(piece);
        }
        assertThat(decoder.hasPending()).isFalse();
        assertThat(streamed.toString()).isEqualTo(text);
    }

    @Property(tries = 2000)
    void utf8DecodingDoesNotDependOnHowBytesAreSplit(@ForAll byte[] bytes, @ForAll("cuts") List<Integer> cuts) {
        String whole = utf8(bytes, List.of());
        assertThat(utf8(bytes, cuts)).isEqualTo(whole);
        String jdk = new String(bytes, StandardCharsets.UTF_8);
        if (!jdk.contains("\uFFFD")) { // on well-formed input both decoders agree exactly
            assertThat(whole).isEqualTo(jdk);
        }
    }

    @Property(tries = 1000)
    void utf8DecoderMatchesTheJdkOnValidText(@ForAll("unicodeText") String text) {
        assertThat(utf8(text.getBytes(StandardCharsets.UTF_8), List.of(1, 2, 3))).isEqualTo(text);
    }

    private static String utf8(byte[] bytes, List<Integer> cuts) {
        Utf8Decoder decoder = new Utf8Decoder();
        StringBuilder out = new StringBuilder();
        int start = 0;
        for (int cut : cuts) {
            int end = Math.min(bytes.length, start + cut);
            decoder.decode(bytes, start, end - start, out);
            start = end;
        }
        decoder.decode(bytes, start, bytes.length - start, out);
        decoder.finish(out);
        return out.toString();
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, 5).list().ofMaxSize(20);
    }

    @Provide
    Arbitrary<String> unicodeText() {
        Arbitrary<Integer> codePoints = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.integers().between(0x20, 0x7e)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of((int) ' ', (int) '\n', (int) '\t', 0xa0, 0x3000, 0x2028)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x80, 0xd7ff)),
                // U+FFFD excluded: valid text that holds it would fail the replacement-character property
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0xe000, 0xffff).filter(cp -> cp != 0xfffd)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10ffff)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(0xe9, 0x20ac, 0x1f600, (int) 't', (int) 'h', (int) 'e')));
        return codePoints.list().ofMaxSize(40).map(cps -> {
            StringBuilder sb = new StringBuilder();
            cps.forEach(sb::appendCodePoint);
            return sb.toString();
        });
    }

    @Provide
    Arbitrary<List<Integer>> tokenIds() {
        return Arbitraries.integers().between(0, tokenizer.vocabSize() - 1).list().ofMaxSize(30);
    }
}
