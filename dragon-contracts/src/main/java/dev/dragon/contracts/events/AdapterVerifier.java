package dev.dragon.contracts.events;

import dev.dragon.contracts.events.AdapterRejectedException.Reason;

/**
 * Checks adapter records before anyone uses them: schema version, signature, shape, checksum and (when configured)
 * the base model. Order matters: the signature is checked before the weights are decoded, so an unsigned record
 * costs no more than one HMAC.
 */
public final class AdapterVerifier {

    private final AdapterSignatures signatures;
    private final int pcHidden;
    private final int dModel;
    private final String model;
    private final String modelVersion;

    /**
     * @param signatures   the shared key
     * @param pcHidden     P the model expects
     * @param dModel       d the model expects
     * @param model        bundle name versions must name, or null to accept any
     * @param modelVersion bundle version versions must name, or null to accept any
     */
    public AdapterVerifier(AdapterSignatures signatures, int pcHidden, int dModel, String model, String modelVersion) {
        this.signatures = signatures;
        this.pcHidden = pcHidden;
        this.dModel = dModel;
        this.model = model;
        this.modelVersion = modelVersion;
    }

    /** A verified version: its weights {@code w1 [P,d]} and {@code w2 [d,P]} decoded. */
    public record Verified(AdapterVersionEvent event, float[] w1, float[] w2) {

        public long version() {
            return event.version();
        }
    }

    public Verified verify(AdapterVersionEvent e) throws AdapterRejectedException {
        if (e == null) {
            throw new AdapterRejectedException(Reason.MALFORMED, "empty adapter record");
        }
        if (e.schemaVersion() != AdapterVersionEvent.SCHEMA_VERSION) {
            throw new AdapterRejectedException(Reason.SCHEMA, "version " + e.version() + ": schema version "
                    + e.schemaVersion() + " is not " + AdapterVersionEvent.SCHEMA_VERSION);
        }
        if (e.version() < 1 || e.parent() < 0 || e.checksum() == null) {
            throw new AdapterRejectedException(Reason.MALFORMED, "version " + e.version() + ": bad version, parent "
                    + "or checksum");
        }
        if (!signatures.verify(e)) {
            throw new AdapterRejectedException(Reason.SIGNATURE, "version " + e.version()
                    + ": signature does not match the shared signing key");
        }
        if (e.pcHidden() != pcHidden || e.dModel() != dModel) {
            throw new AdapterRejectedException(Reason.SHAPE, "version " + e.version() + ": P=" + e.pcHidden()
                    + ", d=" + e.dModel() + " but the model has P=" + pcHidden + ", d=" + dModel);
        }
        if ((model != null && !model.equals(e.model())) || (modelVersion != null
                && !modelVersion.equals(e.modelVersion()))) {
            throw new AdapterRejectedException(Reason.MODEL, "version " + e.version() + " belongs to " + e.model()
                    + "@" + e.modelVersion() + ", not " + model + "@" + modelVersion);
        }
        float[] w1;
        float[] w2;
        try {
            w1 = AdapterWeights.decode(e.w1(), pcHidden * dModel);
            w2 = AdapterWeights.decode(e.w2(), dModel * pcHidden);
        } catch (IllegalArgumentException ex) {
            throw new AdapterRejectedException(Reason.SHAPE, "version " + e.version() + ": " + ex.getMessage());
        }
        String actual = AdapterWeights.checksum(w1, w2);
        if (!actual.equals(e.checksum())) {
            throw new AdapterRejectedException(Reason.CHECKSUM, "version " + e.version() + ": weights hash to "
                    + actual + ", the record says " + e.checksum());
        }
        for (float[] w : new float[][] {w1, w2}) {
            for (float v : w) {
                if (!Float.isFinite(v)) {
                    throw new AdapterRejectedException(Reason.MALFORMED, "version " + e.version()
                            + ": weights hold a non-finite value");
                }
            }
        }
        return new Verified(e, w1, w2);
    }

    public AdapterControlEvent verify(AdapterControlEvent e) throws AdapterRejectedException {
        if (e == null || e.action() == null) {
            throw new AdapterRejectedException(Reason.MALFORMED, "control record without an action");
        }
        if (e.schemaVersion() != AdapterControlEvent.SCHEMA_VERSION) {
            throw new AdapterRejectedException(Reason.SCHEMA, "control record of schema version " + e.schemaVersion());
        }
        if (!signatures.verify(e)) {
            throw new AdapterRejectedException(Reason.SIGNATURE, "control record " + e.action() + " " + e.version()
                    + ": signature does not match the shared signing key");
        }
        return e;
    }
}
