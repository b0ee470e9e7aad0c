package dev.dragon.contracts.events;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 signatures of adapter records with the key shared by the learner and the routers, so that a router
 * serves only versions the learner produced.
 */
public final class AdapterSignatures {

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    /** @param signingKey the shared secret (UTF-8); at least 16 characters */
    public AdapterSignatures(String signingKey) {
        if (signingKey == null || signingKey.length() < 16) {
            throw new IllegalArgumentException("the adapter signing key must hold at least 16 characters");
        }
        this.key = new SecretKeySpec(signingKey.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** The signed text of a version: {@code dragon-adapter/1|version|parent|checksum}. */
    public static String versionMessage(long version, long parent, String checksum) {
        return "dragon-adapter/1|" + version + "|" + parent + "|" + checksum;
    }

    /** The signed text of a control record: {@code dragon-adapter-control/1|action|version|issuedAtMs}. */
    public static String controlMessage(AdapterControlEvent.Action action, long version, long issuedAtMs) {
        return "dragon-adapter-control/1|" + action + "|" + version + "|" + issuedAtMs;
    }

    public String signVersion(long version, long parent, String checksum) {
        return sign(versionMessage(version, parent, checksum));
    }

    public String signControl(AdapterControlEvent.Action action, long version, long issuedAtMs) {
        return sign(controlMessage(action, version, issuedAtMs));
    }

    /** A signed version record over {@code w1 [P,d]} and {@code w2 [d,P]}. */
    public AdapterVersionEvent signedVersion(long version, long parent, Long rollbackOf, String model,
                                             String modelVersion, long createdAtMs, int pcHidden, int dModel,
                                             float[] w1, float[] w2, String method, GateMetrics gate) {
        String checksum = AdapterWeights.checksum(w1, w2);
        return new AdapterVersionEvent(AdapterVersionEvent.SCHEMA_VERSION, version, parent, rollbackOf, model,
                modelVersion, createdAtMs, pcHidden, dModel, AdapterWeights.encode(w1), AdapterWeights.encode(w2),
                checksum, signVersion(version, parent, checksum), method, gate);
    }

    /** A signed pin ({@code version}) or unpin record. */
    public AdapterControlEvent signedControl(AdapterControlEvent.Action action, long version, long issuedAtMs) {
        return new AdapterControlEvent(AdapterControlEvent.SCHEMA_VERSION, action, version, issuedAtMs,
                signControl(action, version, issuedAtMs));
    }

    /** Whether {@code event}'s signature is ours over its version, parent and checksum (constant time). */
    public boolean verify(AdapterVersionEvent event) {
        return matches(event.signature(), signVersion(event.version(), event.parent(), event.checksum()));
    }

    public boolean verify(AdapterControlEvent event) {
        return event.action() != null
                && matches(event.signature(), signControl(event.action(), event.version(), event.issuedAtMs()));
    }

    private static boolean matches(String given, String expected) {
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.US_ASCII),
                expected.getBytes(StandardCharsets.US_ASCII));
    }

    private String sign(String message) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is always available", e);
        }
    }
}
