package dev.dragon.learning.rollout;

import dev.dragon.contracts.events.AdapterControlEvent;
import dev.dragon.contracts.events.AdapterSignatures;
import dev.dragon.contracts.events.AdapterVersionEvent;
import dev.dragon.contracts.events.GateMetrics;
import dev.dragon.learning.pc.PcWeights;

/** Builds the signed records the learner publishes for the bundle it serves. */
public final class AdapterReleases {

    private final AdapterSignatures signatures;
    private final String model;
    private final String modelVersion;

    public AdapterReleases(AdapterSignatures signatures, String model, String modelVersion) {
        this.signatures = signatures;
        this.model = model;
        this.modelVersion = modelVersion;
    }

    public AdapterVersionEvent version(long version, long parent, Long rollbackOf, long createdAtMs, PcWeights w,
                                       String method, GateMetrics gate) {
        return signatures.signedVersion(version, parent, rollbackOf, model, modelVersion, createdAtMs, w.p(), w.d(),
                w.w1(), w.w2(), method, gate);
    }

    /** A pin of {@code version}, or an unpin when it is null. */
    public AdapterControlEvent control(Long version, long issuedAtMs) {
        return version == null
                ? signatures.signedControl(AdapterControlEvent.Action.UNPIN, 0, issuedAtMs)
                : signatures.signedControl(AdapterControlEvent.Action.PIN, version, issuedAtMs);
    }
}
