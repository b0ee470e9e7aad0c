package dev.dragon.gateway.auth;

/**
 * A stored API key: never the key itself, only what it belongs to. Stored in Redis under the key's hash.
 *
 * @param keyId     short public id (safe to log and to show in listings)
 * @param tenant    the tenant the key authenticates as
 * @param createdAt creation time, epoch milliseconds
 * @param revokedAt revocation time, epoch milliseconds, or null while the key is valid
 */
public record ApiKeyRecord(String keyId, String tenant, long createdAt, Long revokedAt) {

    public boolean revoked() {
        return revokedAt != null;
    }

    public ApiKeyRecord revoke(long at) {
        return revoked() ? this : new ApiKeyRecord(keyId, tenant, createdAt, at);
    }
}
