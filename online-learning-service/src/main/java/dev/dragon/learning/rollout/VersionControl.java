package dev.dragon.learning.rollout;

import dev.dragon.learning.error.VersionNotFoundException;
import dev.dragon.learning.pc.PcWeights;
import java.util.concurrent.CompletableFuture;

/**
 * The operator's levers (used by the admin API): list versions, roll back, pin and unpin. Every change runs on
 * the learner's thread, so it is ordered with the versions training produces.
 */
public final class VersionControl {

    private final LearnerLoop loop;

    public VersionControl(LearnerLoop loop) {
        this.loop = loop;
    }

    /** The current history, or null while the learner starts. */
    public AdapterHistory history() {
        return loop.history();
    }

    public boolean ready() {
        return loop.ready();
    }

    /**
     * Publishes a new version whose weights are those of {@code target} (0 = the bundle's layer); training
     * continues from it. Routers switch to it unless a pin is in force.
     */
    public CompletableFuture<AdapterHistory> rollback(long target) {
        return loop.submit(() -> {
            AdapterHistory h = loop.history();
            if (!h.contains(target)) {
                throw new VersionNotFoundException(target);
            }
            PcWeights weights = loop.log().weightsOf(target);
            if (weights == null) {
                throw new VersionNotFoundException(target);
            }
            long version = h.latest() + 1;
            return loop.applyVersion(loop.releases().version(version, h.latest(), target, System.currentTimeMillis(),
                    weights, "rollback", null), weights);
        });
    }

    /** Routers serve {@code version} (0 = the bundle's layer) until {@link #unpin()}, whatever is published meanwhile. */
    public CompletableFuture<AdapterHistory> pin(long version) {
        return loop.submit(() -> {
            if (!loop.history().contains(version)) {
                throw new VersionNotFoundException(version);
            }
            return loop.applyPin(version);
        });
    }

    /** Routers serve the newest version again. */
    public CompletableFuture<AdapterHistory> unpin() {
        return loop.submit(() -> loop.applyPin(null));
    }
}
