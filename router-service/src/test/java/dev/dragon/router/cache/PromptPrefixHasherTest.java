package dev.dragon.router.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PromptPrefixHasherTest {

    private final PromptPrefixHasher hasher = new PromptPrefixHasher("dragon-moe-mini@1.0.0", "topk-2", 4);

    private static int[] tokens(int from, int count) {
        return IntStream.range(from, from + count).toArray();
    }

    @Test
    void chain_followsTheDocumentedConstruction() throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        ByteArrayOutputStream seed = new ByteArrayOutputStream();
        for (String part : List.of("dragon-kv-prefix/1", "dragon-moe-mini@1.0.0", "topk-2", "4")) {
            byte[] utf8 = part.getBytes(StandardCharsets.UTF_8);
            seed.writeBytes(ByteBuffer.allocate(4).putInt(utf8.length).array());
            seed.writeBytes(utf8);
        }
        byte[] h0 = sha.digest(seed.toByteArray());
        ByteBuffer block1 = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(10).putInt(11).putInt(12).putInt(13);
        sha.update(h0);
        byte[] h1 = sha.digest(block1.array());

        assertThat(hasher.chain(new int[] {10, 11, 12, 13, 14}, 5)).singleElement().isEqualTo(h1);
    }

    @Test
    void chain_coversWholeBlocksWithinTheLimit_shortestFirst() {
        assertThat(hasher.chain(tokens(0, 11), 11)).hasSize(2);
        assertThat(hasher.chain(tokens(0, 11), 8)).hasSize(2);
        assertThat(hasher.chain(tokens(0, 11), 7)).hasSize(1);
        assertThat(hasher.chain(tokens(0, 3), 3)).isEmpty();
        assertThat(hasher.chain(tokens(0, 12), 100)).hasSize(3);
        assertThat(hasher.chain(tokens(0, 12), 12).get(1)).isEqualTo(hasher.chain(tokens(0, 8), 8).get(1));
    }

    @Test
    void promptsSharingAPrefix_shareExactlyTheHashesOfTheSharedBlocks() {
        int[] a = tokens(100, 16);
        int[] b = a.clone();
        b[9] = 7;                                   // differs in block 3 (tokens 8..11)

        List<byte[]> ha = hasher.chain(a, 16);
        List<byte[]> hb = hasher.chain(b, 16);

        assertThat(hb.get(0)).isEqualTo(ha.get(0));
        assertThat(hb.get(1)).isEqualTo(ha.get(1));
        assertThat(hb.get(2)).isNotEqualTo(ha.get(2));
        assertThat(hb.get(3)).as("the chain never re-converges").isNotEqualTo(ha.get(3));
    }

    @Test
    void anotherModelGatingOrBlockSize_neverSharesAHash() {
        int[] prompt = tokens(0, 8);
        byte[] h = hasher.chain(prompt, 8).get(1);

        assertThat(new PromptPrefixHasher("dragon-moe-mini@1.0.1", "topk-2", 4).chain(prompt, 8).get(1)).isNotEqualTo(h);
        assertThat(new PromptPrefixHasher("dragon-moe-mini@1.0.0", "adaptive-p0.9-k1-4", 4).chain(prompt, 8).get(1)).isNotEqualTo(h);
        assertThat(new PromptPrefixHasher("dragon-moe-mini@1.0.0", "topk-2", 8).chain(prompt, 8).get(0)).isNotEqualTo(h);
    }

    @Test
    void cacheablePrefix_isBlockAligned_andLeavesATokenToPrefill() {
        assertThat(hasher.cacheablePrefix(0)).isZero();
        assertThat(hasher.cacheablePrefix(4)).isZero();
        assertThat(hasher.cacheablePrefix(5)).isEqualTo(4);
        assertThat(hasher.cacheablePrefix(8)).isEqualTo(4);
        assertThat(hasher.cacheablePrefix(9)).isEqualTo(8);
    }

    @Test
    void gatingVersion_namesTheRouting() {
        assertThat(PromptPrefixHasher.gatingVersion(false, 2, 0.9, 1, 4)).isEqualTo("topk-2");
        assertThat(PromptPrefixHasher.gatingVersion(true, 2, 0.9, 1, 4)).isEqualTo("adaptive-p0.9-k1-4");
    }
}
