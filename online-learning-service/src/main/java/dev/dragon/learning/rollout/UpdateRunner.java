package dev.dragon.learning.rollout;

import dev.dragon.learning.gate.PromotionGate;
import dev.dragon.learning.ingest.Example;
import dev.dragon.learning.ingest.ExamplePool;
import dev.dragon.learning.pc.AdapterTrainer;
import dev.dragon.learning.pc.PcWeights;
import dev.dragon.learning.pc.Rows;
import java.util.ArrayList;
import java.util.List;

/**
 * One update: the candidate's feedback rows plus replayed base rows ({@code replayRatio} per feedback row, taken
 * round-robin from the base replay set so every base row is replayed in turn, each asking to keep the base output:
 * {@link Rows#KEEP_BASE}), trained from the newest version and anchored to it, then judged by the gate.
 */
public final class UpdateRunner {

    /** A trained and judged candidate. */
    public record Result(PcWeights weights, PromotionGate.Verdict verdict, int trainingRows, int replayRows,
                         long nanos) {
    }

    private final AdapterTrainer trainer;
    private final PromotionGate gate;
    private final Rows replay;
    private final double replayRatio;
    private int replayCursor;

    public UpdateRunner(AdapterTrainer trainer, PromotionGate gate, Rows replay, double replayRatio) {
        this.trainer = trainer;
        this.gate = gate;
        this.replay = replay.keepingBase();
        this.replayRatio = replayRatio;
    }

    public String method() {
        return trainer.method();
    }

    public PromotionGate gate() {
        return gate;
    }

    public Result run(PcWeights live, ExamplePool.Candidate candidate) {
        long t0 = System.nanoTime();
        int d = live.d();
        Rows feedback = Rows.concat(d, candidate.training().stream().map(Example::rows).toList());
        Rows replayed = nextReplay((int) Math.round(feedback.n() * replayRatio));
        Rows all = Rows.concat(d, List.of(feedback, replayed));
        PcWeights weights = trainer.train(live, live, all);
        Rows holdout = Rows.concat(d, candidate.holdout().stream().map(Example::rows).toList());
        PromotionGate.Verdict verdict = gate.judge(live, weights, holdout, feedback.n(), replayed.n());
        return new Result(weights, verdict, feedback.n(), replayed.n(), System.nanoTime() - t0);
    }

    private Rows nextReplay(int count) {
        int n = Math.min(count, replay.n());
        List<Rows> parts = new ArrayList<>();
        int remaining = n;
        while (remaining > 0) {
            int take = Math.min(remaining, replay.n() - replayCursor);
            parts.add(replay.slice(replayCursor, replayCursor + take));
            replayCursor = (replayCursor + take) % replay.n();
            remaining -= take;
        }
        return Rows.concat(replay.d(), parts);
    }
}
