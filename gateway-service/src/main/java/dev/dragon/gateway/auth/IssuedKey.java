package dev.dragon.gateway.auth;

/** A key just created: the only time its plain text exists outside the client. */
public record IssuedKey(String key, ApiKeyRecord record) {

    @Override
    public String toString() {
        return "IssuedKey[keyId=" + record.keyId() + ", tenant=" + record.tenant() + "]";
    }
}
