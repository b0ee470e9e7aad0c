package dev.dragon.core.tokenizer;

import static dev.dragon.core.tokenizer.TestTokenizers.AA;
import static dev.dragon.core.tokenizer.TestTokenizers.EMOJI_HEAD;
import static dev.dragon.core.tokenizer.TestTokenizers.EMOJI_TAIL;
import static dev.dragon.core.tokenizer.TestTokenizers.EOS;
import static dev.dragon.core.tokenizer.TestTokenizers.EURO_HEAD;
import static dev.dragon.core.tokenizer.TestTokenizers.E_ACUTE;
import static dev.dragon.core.tokenizer.TestTokenizers.ING;
import static dev.dragon.core.tokenizer.TestTokenizers.SPACE_THE;
import static dev.dragon.core.tokenizer.TestTokenizers.THE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

class BpeTokenizerTest {

    private final BpeTokenizer tokenizer = TestTokenizers.tokenizer();

    @Test
    void encodesWithExactIds() {
        assertThat(tokenizer.encode("the")).containsExactly(THE);
        assertThat(tokenizer.encode(" the")).containsExactly(SPACE_THE);
        assertThat(tokenizer.encode("thethe")).containsExactly(THE, THE);
        assertThat(tokenizer.encode("ring")).containsExactly('r', ING);
        assertThat(tokenizer.encode("café")).containsExactly('c', 'a', 'f', E_ACUTE);
        assertThat(tokenizer.encode("€")).containsExactly(EURO_HEAD, 0xac);
        assertThat(tokenizer.encode("😀")).containsExactly(EMOJI_HEAD, EMOJI_TAIL);
        assertThat(tokenizer.encode("")).isEmpty();
    }

    @Test
    void lowestRankPairIsMergedFirst() {
        // pairs of "ther": (t,h) rank 0 and (e,r) rank 4; th wins, then (th,e) rank 1 beats (e,r)
        assertThat(tokenizer.encode("ther")).containsExactly(THE, 'r');
        assertThat(tokenizer.encode("her")).containsExactly('h', TestTokenizers.ER);
    }

    @Test
    void everyNonOverlappingOccurrenceIsMergedLeftToRight() {
        assertThat(tokenizer.encode("aaa")).containsExactly(AA, 'a');
        assertThat(tokenizer.encode("aaaa")).containsExactly(AA, AA);
        assertThat(tokenizer.encode("aaaaa")).containsExactly(AA, AA, 'a');
    }

    @Test
    void piecesDoNotMergeAcrossPreTokenizerBoundaries() {
        // "t" and "he" are in different pieces ("t", " he"): no "the" token may span them
        assertThat(tokenizer.pieces("t he")).containsExactly("t", " he");
        assertThat(tokenizer.encode("t he")).containsExactly('t', ' ', 'h', 'e');
        assertThat(tokenizer.pieces("Hi  there, it's 42!\n")).containsExactly("Hi", " ", " there", ",", " it", "'s",
                " 42", "!", "\n");
        assertThat(tokenizer.encode("  the")).containsExactly(' ', SPACE_THE);
    }

    @Test
    void patternClassesFollowPythonUnicodeSemantics() {
        // Python's re: \w and [^\W\d_] match letters of every script, \s matches Unicode spaces
        assertThat(tokenizer.pieces("héllo wörld")).containsExactly("héllo", " wörld");
        assertThat(tokenizer.pieces("日本語 текст")).containsExactly("日本語", " текст");
        assertThat(tokenizer.pieces("a\u00a0b")).containsExactly("a", "\u00a0", "b");
    }

    @Test
    void textThePatternSkipsIsStillEncoded() {
        ObjectNode json = TestTokenizers.json();
        json.put("pattern", "[a-z]+");
        BpeTokenizer lettersOnly = TestTokenizers.tokenizer(json, 16);
        assertThat(lettersOnly.pieces("the, 2the")).containsExactly("the", ", 2", "the");
        assertThat(lettersOnly.decode(lettersOnly.encode("the, 2the"))).isEqualTo("the, 2the");
        assertThat(lettersOnly.encode("the, 2the")).containsExactly(THE, ',', ' ', '2', THE);
    }

    @Test
    void specialTokensAreNeverParsedFromText() {
        int[] ids = tokenizer.encode("<|eos|><|user|>");
        assertThat(ids).doesNotContain(EOS, TestTokenizers.USER);
        assertThat(tokenizer.decode(ids)).isEqualTo("<|eos|><|user|>");
    }

    @Test
    void decodeSkipsSpecialTokensAndJoinsBytes() {
        assertThat(tokenizer.decode(new int[] {TestTokenizers.BOS, THE, ' ', EURO_HEAD, 0xac, EOS})).isEqualTo("the €");
        assertThat(tokenizer.decode(new int[] {EURO_HEAD})).isEqualTo("\uFFFD");
        assertThatThrownBy(() -> tokenizer.decode(new int[] {5000}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token id 5000");
    }

    @Test
    void vocabularyAndSpecialTokenLookup() {
        assertThat(tokenizer.regularTokenCount()).isEqualTo(267);
        assertThat(tokenizer.vocabSize()).isEqualTo(273);
        assertThat(tokenizer.specialTokenId("<|eos|>")).isEqualTo(EOS);
        assertThat(tokenizer.isSpecial(EOS)).isTrue();
        assertThat(tokenizer.isSpecial(THE)).isFalse();
        assertThat(tokenizer.isSpecial(-1)).isFalse();
        assertThat(tokenizer.tokenBytes(THE)).containsExactly('t', 'h', 'e');
        assertThat(tokenizer.tokenBytes(EOS)).isEmpty();
        assertThatThrownBy(() -> tokenizer.specialTokenId("<|tool|>"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("<|tool|>");
    }

    @Test
    void cacheIsBoundedAndDoesNotChangeResults() {
        BpeTokenizer small = TestTokenizers.tokenizer(TestTokenizers.json(), 2);
        BpeTokenizer none = TestTokenizers.tokenizer(TestTokenizers.json(), 0);
        String text = "the ring of the aaa king, thethe ther";
        assertThat(small.encode(text)).containsExactly(tokenizer.encode(text));
        assertThat(small.encode(text)).containsExactly(none.encode(text));
        assertThat(small.cachedPieces()).isEqualTo(2);
        assertThat(none.cachedPieces()).isZero();
        assertThat(tokenizer.cachedPieces()).isEqualTo(9); // the, ring, of, the, aaa, king, ",", thethe, ther (with spaces)
    }

    @Test
    void longPiecesBypassTheCache() {
        BpeTokenizer fresh = TestTokenizers.tokenizer();
        String longWord = "a".repeat(BpeTokenizer.MAX_CACHED_PIECE + 1);
        assertThat(fresh.encode(longWord)).hasSize(33);
        assertThat(fresh.cachedPieces()).isZero();
    }

    @Test
    void unpairedSurrogatesEncodeAsReplacementCharacter() {
        assertThat(tokenizer.decode(tokenizer.encode("a\uD800b"))).isEqualTo("a\uFFFDb");
    }

    @Test
    void loadsFromAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokenizer.json");
        Files.write(file, dev.dragon.core.json.JsonField.mapper().writeValueAsBytes(TestTokenizers.json()));
        BpeTokenizer loaded = BpeTokenizer.load(file);
        assertThat(loaded.encode(" the")).containsExactly(SPACE_THE);
        Files.writeString(file, "{\"type\": \"wordpiece\"}");
        assertThatThrownBy(() -> BpeTokenizer.load(file)).isInstanceOf(TokenizerException.class)
                .hasMessageStartingWith("tokenizer.json: field 'type': unsupported tokenizer type 'wordpiece'");
    }
}
