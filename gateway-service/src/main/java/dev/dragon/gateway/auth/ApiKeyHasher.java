package dev.dragon.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes and hashes API keys. Keys look like {@code dgn_<keyId>_<secret>}: the key id is public (logs,
 * listings), the secret is 32 random bytes. Only HMAC-SHA256(pepper, key) is stored, so a copy of Redis
 * does not reveal usable keys and, without the pepper, cannot be brute-forced offline.
 */
public final class ApiKeyHasher {

    private static final String ALGORITHM = "HmacSHA256";
    private static final String PREFIX = "dgn_";

    private final Mac prototype;
    private final SecureRandom random = new SecureRandom();

    public ApiKeyHasher(String pepper) {
        if (pepper == null || pepper.isBlank()) {
            throw new IllegalArgumentException("the API key pepper must not be blank");
        }
        try {
            prototype = Mac.getInstance(ALGORITHM);
            prototype.init(new SecretKeySpec(pepper.getBytes(StandardCharsets.UTF_8), ALGORITHM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Hex HMAC-SHA256 of {@code key} under the pepper. */
    public String hash(String key) {
        Mac mac;
        try {
            mac = (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("HmacSHA256 cannot be cloned", e);
        }
        return HexFormat.of().formatHex(mac.doFinal(key.getBytes(StandardCharsets.UTF_8)));
    }

    /** A fresh random key id: 12 hex characters. */
    public String newKeyId() {
        byte[] id = new byte[6];
        random.nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    /** A fresh key carrying {@code keyId}. */
    public String newKey(String keyId) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        return PREFIX + keyId + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** The id under which a configured (not generated) key is listed: derived from its hash, not its text. */
    public String bootstrapKeyId(String key) {
        return "boot" + hash(key).substring(0, 8);
    }
}
