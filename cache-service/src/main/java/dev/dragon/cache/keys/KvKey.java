package dev.dragon.cache.keys;

/** A validated KV-state key: tenant, model, gating version and prefix-chain hash (hex). */
public record KvKey(String tenant, String model, String gatingVersion, String prefixHash) {

    public static KvKey of(String tenant, String model, String gatingVersion, byte[] prefixHash) {
        return new KvKey(Names.tenant(tenant), Names.name("model", model),
                Names.name("gating_version", gatingVersion), Names.hash("prefix_hash", prefixHash));
    }

    /** The same tenant, model and gating version with another prefix hash (already validated hex). */
    public KvKey withHash(String hash) {
        return new KvKey(tenant, model, gatingVersion, hash);
    }
}
