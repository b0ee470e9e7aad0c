package dev.dragon.cache.keys;

import dev.dragon.cache.config.CacheProperties;
import org.springframework.stereotype.Component;

/**
 * The key layout (see the module README); nothing else spells a Redis key. With {@code P} the configured
 * prefix and {@code T} the tenant:
 *
 * <pre>
 * P:t:T:resp:{model}:{adapter}:{hash}       STRING  serialized CachedResponse            PX response.ttl
 * P:t:T:kv:{model}:{gating}:{hash}          HASH    tokens, chunks, bytes, wid           PX kv.ttl
 * P:t:T:kv:{model}:{gating}:{hash}:{wid}:i  STRING  chunk i of write wid                 PX kv.ttl + chunk-grace
 * P:t:T:idx:resp, P:t:T:idx:kv              ZSET    entry suffix, scored by expiry (ms)  PX newest entry's ttl
 * P:t:T:stats                               HASH    resp_hits, resp_misses, kv_hits, kv_misses
 * P:tenants                                 SET     tenants that have entries
 * P:purges                                  STREAM  one entry {tenant} per flush        trimmed to purges.retention
 * </pre>
 */
@Component
public class CacheKeys {

    private final String prefix;

    public CacheKeys(CacheProperties properties) {
        this.prefix = properties.redis().keyPrefix();
    }

    /** Every key of {@code tenant} starts with this. */
    public String tenantRoot(String tenant) {
        return tenantsRoot() + tenant + ":";
    }

    /** What precedes the tenant name in every per-tenant key. */
    public String tenantsRoot() {
        return prefix + ":t:";
    }

    /** What follows the tenant name in its response index key. */
    public String responseIndexSuffix() {
        return ":idx:resp";
    }

    /** What follows the tenant name in its KV index key. */
    public String kvIndexSuffix() {
        return ":idx:kv";
    }

    /** SCAN pattern of every key of {@code tenant} (tenant names hold no glob metacharacters). */
    public String tenantPattern(String tenant) {
        return tenantRoot(tenant) + "*";
    }

    public String responseBase(String tenant) {
        return tenantRoot(tenant) + "resp:";
    }

    /** The entry's key relative to {@link #responseBase}: its member in the tenant's index. */
    public String responseMember(ResponseKey key) {
        return key.modelVersion() + ":" + key.adapterVersion() + ":" + key.hash();
    }

    public String response(ResponseKey key) {
        return responseBase(key.tenant()) + responseMember(key);
    }

    public String responseIndex(String tenant) {
        return tenantsRoot() + tenant + responseIndexSuffix();
    }

    public String kvBase(String tenant) {
        return tenantRoot(tenant) + "kv:";
    }

    /** The state's key relative to {@link #kvBase}: its member in the tenant's index. */
    public String kvMember(KvKey key) {
        return key.model() + ":" + key.gatingVersion() + ":" + key.prefixHash();
    }

    /** The header (HASH) of a stored KV state. */
    public String kvMeta(KvKey key) {
        return kvBase(key.tenant()) + kvMember(key);
    }

    /** Chunk {@code index} of write {@code writeId} of the state at {@code metaKey} (kv_commit.lua spells it too). */
    public String kvChunk(String metaKey, String writeId, int index) {
        return metaKey + ":" + writeId + ":" + index;
    }

    public String kvIndex(String tenant) {
        return tenantsRoot() + tenant + kvIndexSuffix();
    }

    public String stats(String tenant) {
        return tenantRoot(tenant) + "stats";
    }

    public String tenants() {
        return prefix + ":tenants";
    }

    /** The purge log: a stream with one entry per tenant flush, followed by every replica's purge feed. */
    public String purges() {
        return prefix + ":purges";
    }

    public String prefix() {
        return prefix;
    }
}
