package dev.dragon.learning.bench;

import dev.dragon.learning.model.BaseSet;
import dev.dragon.learning.model.FeatureExtractor;
import dev.dragon.learning.model.LmHeadLoss;
import dev.dragon.learning.model.ModelHost;
import dev.dragon.learning.pc.AdapterTrainer;
import dev.dragon.learning.pc.GradientTrainer;
import dev.dragon.learning.pc.PcTrainer;
import dev.dragon.learning.pc.PcWeights;
import dev.dragon.learning.pc.Perplexity;
import dev.dragon.learning.pc.Rows;
import dev.dragon.learning.pc.TrainerSettings;
import dev.dragon.learning.testing.Teaching;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains the PC layer on the test's teaching material with predictive coding and with gradient descent (same
 * rows, same hyper-parameters, same anchor and clipping) and prints, per method: update time, perplexity of
 * held-out teaching material before/after, and base-holdout regression. Not a test: numbers for the README.
 *
 * <pre>java -cp online-learning-service/target/test-classes:online-learning-service/target/classes:$(deps) \
 *   dev.dragon.learning.bench.UpdateBench [bundle] [examples] [epochs] [K] [gamma] [alpha] [anchor]</pre>
 */
public final class UpdateBench {

    private UpdateBench() {
    }

    public static void main(String[] args) {
        Path bundle = Path.of(args.length > 0 ? args[0] : "models/dragon-moe-mini");
        int examples = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int k = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        double gamma = args.length > 4 ? Double.parseDouble(args[4]) : 0.25;
        double alpha = args.length > 5 ? Double.parseDouble(args[5]) : 0.05;
        double anchor = args.length > 6 ? Double.parseDouble(args[6]) : 0.5;
        int rounds = args.length > 7 ? Integer.parseInt(args[7]) : 1;
        double replayRatio = args.length > 8 ? Double.parseDouble(args[8]) : 3.0;
        String methods = args.length > 9 ? args[9] : "pc,gd";
        double baseWeight = args.length > 10 ? Double.parseDouble(args[10]) : 4.0;
        try (ModelHost host = ModelHost.open(bundle, 2)) {
            FeatureExtractor features = new FeatureExtractor(host);
            LmHeadLoss loss = new LmHeadLoss(host);
            long t0 = System.nanoTime();
            BaseSet base = Cache.baseSet(host, features);
            System.out.printf("base set (%s): %d replay rows, %d holdout rows, %d ms%n", base.source(),
                    base.replay().n(), base.holdout().n(), (System.nanoTime() - t0) / 1_000_000);
            long t1 = System.nanoTime();
            Rows train = Cache.rows(Cache.tag(host) + "-teach-train-" + examples * rounds, () -> teaching(host, features, examples * rounds, 1));
            double perExample = (System.nanoTime() - t1) / 1e6 / (examples * rounds);
            Rows held = Cache.rows(Cache.tag(host) + "-teach-held", () -> teaching(host, features, 24, 99));
            System.out.printf("teaching rows: %d train, %d held out; feature extraction %.1f ms per example%n",
                    train.n(), held.n(), perExample);
            PcWeights w0 = host.baseWeights();
            double heldBefore = Perplexity.of(w0, held, loss);
            double baseBefore = Perplexity.of(w0, base.holdout(), loss);
            System.out.printf("version 0: teaching held-out ppl %.3f, base holdout ppl %.4f%n", heldBefore, baseBefore);
            TrainerSettings settings = new TrainerSettings(epochs, 64, alpha, k, gamma, 50, 1.0, anchor, baseWeight, 17);
            List<AdapterTrainer> trainers = new ArrayList<>();
            if (methods.contains("pc")) {
                trainers.add(new PcTrainer(settings, loss));
            }
            if (methods.contains("gd")) {
                trainers.add(new GradientTrainer(settings, loss));
            }
            for (AdapterTrainer trainer : trainers) {
                PcWeights w = w0;
                long nanos = 0;
                int rowsPerRound = train.n() / rounds;
                int cursor = 0;
                for (int r = 0; r < rounds; r++) {
                    Rows part = train.slice(r * rowsPerRound, (r + 1) * rowsPerRound);
                    int replayRows = (int) Math.min(Math.round(part.n() * replayRatio), base.replay().n());
                    Rows replay = base.replay().slice(cursor, Math.min(base.replay().n(), cursor + replayRows))
                            .keepingBase();
                    cursor = (cursor + replayRows) % Math.max(1, base.replay().n() - replayRows + 1);
                    long s = System.nanoTime();
                    w = trainer.train(w, w, Rows.concat(part.d(), List.of(part, replay)));
                    nanos += System.nanoTime() - s;
                }
                double heldAfter = Perplexity.of(w, held, loss);
                double baseAfter = Perplexity.of(w, base.holdout(), loss);
                System.out.printf("%-17s %d round(s): %6.0f ms/update; teaching held-out ppl %.3f -> %.3f (%.1f%% drop); "
                                + "base holdout %+.3f%%%n", trainer.method(), rounds, nanos / 1e6 / rounds, heldBefore,
                        heldAfter, 100 * (1 - heldAfter / heldBefore), 100 * (baseAfter / baseBefore - 1));
            }
        }
    }

    private static Rows teaching(ModelHost host, FeatureExtractor features, int n, long seed) {
        var tokenizer = host.tokenizer();
        List<Rows> parts = new ArrayList<>();
        for (Teaching.Sample s : Teaching.samples(tokenizer, n, seed)) {
            int[] completion = Teaching.completionIds(tokenizer, s.completion());
            int[] ids = java.util.Arrays.copyOf(s.promptIds(), s.promptIds().length + completion.length);
            System.arraycopy(completion, 0, ids, s.promptIds().length, completion.length);
            parts.add(features.rows(ids, s.promptIds().length));
        }
        return Rows.concat(host.architecture().dModel(), parts);
    }
}
