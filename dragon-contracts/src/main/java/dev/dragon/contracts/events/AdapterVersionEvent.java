package dev.dragon.contracts.events;

/**
 * One promoted version of the PC layer {@code mu = h + W2·tanh(W1·h)}, published by the learner to the compacted
 * topic {@value EventTopics#ADAPTERS} under {@link EventTopics#versionKey(long)}.
 *
 * <p>Weights travel as base64 of little-endian fp32 ({@link AdapterWeights}). {@code checksum} is the SHA-256 of
 * those bytes, W1 then W2 (the same digest dragon-core's {@code PcAdapter.checksum} computes), and
 * {@code signature} an HMAC-SHA256 over (version, parent, checksum) with the shared signing key
 * ({@link AdapterSignatures}). Consumers must verify all three and the shape before using a version.
 *
 * @param schemaVersion {@link #SCHEMA_VERSION}
 * @param version       1, 2, 3, … gap-free (0 is the bundle's own layer and is never published)
 * @param parent        the version this one was trained from (0 for the bundle's layer)
 * @param rollbackOf    when this version is a rollback: the version whose weights it copies, else null
 * @param model         bundle name the adapter belongs to
 * @param modelVersion  bundle version the adapter belongs to
 * @param createdAtMs   when it was promoted, epoch milliseconds
 * @param pcHidden      P
 * @param dModel        d
 * @param w1            W1 {@code [P,d]} row-major, base64 of little-endian fp32
 * @param w2            W2 {@code [d,P]} row-major, base64 of little-endian fp32
 * @param checksum      lowercase hex SHA-256 of the fp32 bytes of W1 then W2
 * @param signature     lowercase hex HMAC-SHA256 of {@link AdapterSignatures#versionMessage}
 * @param method        how it was trained ({@code predictive-coding}, {@code gradient-descent} or {@code rollback})
 * @param gate          what the promotion gate measured (null for a rollback)
 */
public record AdapterVersionEvent(int schemaVersion, long version, long parent, Long rollbackOf, String model,
                                  String modelVersion, long createdAtMs, int pcHidden, int dModel, String w1,
                                  String w2, String checksum, String signature, String method, GateMetrics gate) {

    public static final int SCHEMA_VERSION = 1;

    @Override
    public String toString() {
        return "AdapterVersionEvent[version=" + version + ", parent=" + parent
                + (rollbackOf != null ? ", rollbackOf=" + rollbackOf : "") + ", model=" + model + "@" + modelVersion
                + ", P=" + pcHidden + ", d=" + dModel + ", checksum=" + checksum + ", method=" + method + "]";
    }
}
