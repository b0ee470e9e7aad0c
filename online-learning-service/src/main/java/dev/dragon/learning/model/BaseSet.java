package dev.dragon.learning.model;

import dev.dragon.core.bundle.Architecture;
import dev.dragon.core.kv.KvArena;
import dev.dragon.core.model.ForwardPass;
import dev.dragon.core.model.StepInput;
import dev.dragon.core.model.StepOutput;
import dev.dragon.core.sampling.Sampler;
import dev.dragon.core.sampling.SamplingParams;
import dev.dragon.learning.pc.Rows;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The base distribution, held by the bundle itself, as PC-layer rows: {@code replay} rows are mixed into every
 * update, {@code holdout} rows are never trained on and are what the promotion gate's base check scores.
 *
 * <p>The bundle's {@code replay.json} (token documents exported by model-tools: synthetic task dialogues and
 * samples of the base model) is used when the bundle has one. Otherwise the learner samples the base model itself
 * (PC layer version 0) at temperature 1 from {@code <|bos|>}: one fixed batch, each sequence with its own seed.
 * Sampling at temperature 1 draws from exactly the distribution the adapter must not drift from, so the rise of
 * the NLL on these samples is the KL divergence the adapter added. Either way deterministic for a bundle and
 * settings, and no corpus is needed at run time.
 *
 * @param replay   replay rows
 * @param holdout  base holdout rows
 * @param texts    every document decoded (replay first), for people and logs
 * @param source   {@code replay.json} or {@code samples}
 */
public record BaseSet(Rows replay, Rows holdout, List<String> texts, String source) {

    /** The bundle file with base documents. */
    public static final String REPLAY_FILE = "replay.json";

    /**
     * The bundle's {@code replay.json} when it has one (at most {@code replayDocs} and {@code holdoutDocs}
     * documents, evenly spread over each list, each cut to {@code tokens + 1} tokens), else
     * {@link #generate samples}.
     */
    public static BaseSet load(ModelHost host, FeatureExtractor features, int replayDocs, int holdoutDocs, int tokens,
                               long seed) {
        if (!host.bundle().manifest().files().containsKey(REPLAY_FILE)) {
            return generate(host, replayDocs, holdoutDocs, tokens, seed);
        }
        ReplayFile file = ReplayFile.read(host.bundle().resolve(REPLAY_FILE));
        List<String> texts = new ArrayList<>();
        Rows replay = rows(host, features, file.replay(), replayDocs, tokens, texts);
        Rows holdout = rows(host, features, file.holdout(), holdoutDocs, tokens, texts);
        return new BaseSet(replay, holdout, List.copyOf(texts), REPLAY_FILE);
    }

    private static Rows rows(ModelHost host, FeatureExtractor features, List<int[]> docs, int max, int tokens,
                             List<String> texts) {
        int window = host.architecture().window();
        List<int[]> picked = new ArrayList<>();
        int n = Math.min(max, docs.size());
        for (int i = 0; i < n; i++) {
            int[] doc = docs.get((int) ((long) i * docs.size() / n));
            int[] ids = Arrays.copyOf(doc, Math.min(doc.length, Math.min(window, tokens + 1)));
            if (ids.length >= 2) {
                picked.add(ids);
                texts.add(host.tokenizer().decode(ids));
            }
        }
        return features.rowsOfDocuments(picked);
    }

    /**
     * Samples {@code replaySequences + holdoutSequences} sequences of {@code tokens} tokens with seeds
     * {@code seed, seed+1, …}. Special tokens are never sampled (the base text is plain text).
     */
    public static BaseSet generate(ModelHost host, int replaySequences, int holdoutSequences, int tokens, long seed) {
        Architecture arch = host.architecture();
        int b = replaySequences + holdoutSequences;
        int d = arch.dModel();
        int vocab = arch.vocabSize();
        if (replaySequences < 1 || holdoutSequences < 1 || tokens < 2) {
            throw new IllegalArgumentException("the base set needs at least one replay and one holdout sequence of 2+ tokens");
        }
        KvArena kv = KvArena.forModel(arch, b);
        ForwardPass forward = new ForwardPass(host.model(), host.experts(), kv, (layer, routing) -> { });
        Sampler[] samplers = new Sampler[b];
        for (int i = 0; i < b; i++) {
            samplers[i] = new Sampler(SamplingParams.builder().temperature(1).seed(seed + i).build());
        }
        int bos = host.tokenizer().specialTokenId("<|bos|>");
        int[][] seqs = new int[b][tokens + 1];                 // [B, 1 + tokens]: bos, then samples
        float[][] xs = new float[b][tokens * d];               // per sequence x [tokens, d]
        long[] ids = new long[b];
        long[] positions = new long[b];
        Arrays.fill(ids, bos);
        float[] logits = new float[b * vocab];                 // [B, V]
        float[] normed = new float[b * d];                     // [B, d]
        for (int t = 0; t < tokens; t++) {
            for (int i = 0; i < b; i++) {
                seqs[i][t] = (int) ids[i];
                positions[i] = t;
            }
            StepOutput out = forward.run(new StepInput(0, b, 1, ids.clone(), positions.clone(), false));
            host.model().head(out.hidden(), 0, b, host.model().baseAdapter(), logits, 0, normed);
            for (int i = 0; i < b; i++) {
                System.arraycopy(normed, i * d, xs[i], t * d, d);
                for (int s = host.tokenizer().regularTokenCount(); s < vocab; s++) {
                    logits[i * vocab + s] = Float.NEGATIVE_INFINITY;
                }
                ids[i] = samplers[i].sample(logits, i * vocab, vocab).token();
            }
        }
        List<Rows> replay = new ArrayList<>();
        List<Rows> holdout = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            seqs[i][tokens] = (int) ids[i];
            int[] targets = Arrays.copyOfRange(seqs[i], 1, tokens + 1);
            (i < replaySequences ? replay : holdout).add(new Rows(d, xs[i], targets));
            texts.add(host.tokenizer().decode(targets));
        }
        return new BaseSet(Rows.concat(d, replay), Rows.concat(d, holdout), List.copyOf(texts), "samples");
    }
}
