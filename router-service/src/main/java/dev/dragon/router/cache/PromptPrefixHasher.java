package dev.dragon.router.cache;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A hash chain over fixed-size token blocks, so that every router replica names a prompt prefix the same
 * way: {@code h_0 = SHA-256("dragon-kv-prefix/1" | model | gating version | block size)} and
 * {@code h_i = SHA-256(h_{i-1} | tokens of block i as int32 little-endian)}. {@code h_i} names the first
 * {@code i * blockSize} tokens; two prompts that share those tokens (a system prompt, an earlier chat turn)
 * share {@code h_1 .. h_i}, so cache-service finds their longest common stored prefix. The model and
 * gating version in the seed keep states of another model or routing from ever matching.
 */
public final class PromptPrefixHasher {

    private static final String DOMAIN = "dragon-kv-prefix/1";

    private final String model;
    private final String gatingVersion;
    private final int blockSize;
    private final byte[] seed;

    /**
     * @param model         the bundle, {@code name@version}
     * @param gatingVersion the routing configuration (see {@link #gatingVersion})
     */
    public PromptPrefixHasher(String model, String gatingVersion, int blockSize) {
        this.model = Objects.requireNonNull(model, "model");
        this.gatingVersion = Objects.requireNonNull(gatingVersion, "gatingVersion");
        if (blockSize < 1) {
            throw new IllegalArgumentException("block size must be >= 1, was " + blockSize);
        }
        this.blockSize = blockSize;
        MessageDigest sha = sha256();
        for (String part : new String[] {DOMAIN, model, gatingVersion, Integer.toString(blockSize)}) {
            byte[] utf8 = part.getBytes(StandardCharsets.UTF_8);
            sha.update(ByteBuffer.allocate(4).putInt(utf8.length).array());
            sha.update(utf8);
        }
        this.seed = sha.digest();
    }

    /**
     * The routing a KV state depends on: top-k gating with {@code k} experts, or adaptive top-p gating with
     * its mass and bounds (the gating biases come with the model version).
     */
    public static String gatingVersion(boolean adaptive, int topK, double topP, int kMin, int kMax) {
        return adaptive ? "adaptive-p" + topP + "-k" + kMin + "-" + kMax : "topk-" + topK;
    }

    public String model() {
        return model;
    }

    public String gatingVersion() {
        return gatingVersion;
    }

    public int blockSize() {
        return blockSize;
    }

    /**
     * {@code h_1 .. h_n} for the whole blocks among the first {@code limit} tokens, shortest prefix first;
     * {@code h_i} covers {@code i * blockSize} tokens.
     */
    public List<byte[]> chain(int[] tokens, int limit) {
        int blocks = Math.min(tokens.length, Math.max(0, limit)) / blockSize;
        List<byte[]> hashes = new ArrayList<>(blocks);
        byte[] previous = seed;
        ByteBuffer block = ByteBuffer.allocate(4 * blockSize).order(ByteOrder.LITTLE_ENDIAN);
        MessageDigest sha = sha256();
        for (int b = 0; b < blocks; b++) {
            block.clear();
            block.asIntBuffer().put(tokens, b * blockSize, blockSize);
            sha.update(previous);
            sha.update(block.array());
            previous = sha.digest();
            hashes.add(previous);
        }
        return hashes;
    }

    /**
     * The longest block-aligned prefix of a {@code promptLength}-token prompt that leaves at least one
     * token to prefill (its logits start the generation): where to capture a state, and the most a
     * lookup can restore. 0 when the prompt is too short for one block.
     */
    public int cacheablePrefix(int promptLength) {
        return promptLength < 1 ? 0 : (promptLength - 1) / blockSize * blockSize;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
