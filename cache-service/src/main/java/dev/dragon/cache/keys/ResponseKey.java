package dev.dragon.cache.keys;

/** A validated response-cache key: the tenant, the versions it was generated with, the request hash (hex). */
public record ResponseKey(String tenant, String modelVersion, String adapterVersion, String hash) {

    public static ResponseKey of(String tenant, String modelVersion, String adapterVersion, byte[] key) {
        return new ResponseKey(Names.tenant(tenant), Names.name("model_version", modelVersion),
                Names.name("adapter_version", adapterVersion), Names.hash("key", key));
    }
}
