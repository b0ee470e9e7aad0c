package dev.dragon.cache.admin;

/**
 * One tenant's figures, as the admin endpoint returns them.
 *
 * @param response the response cache
 * @param kv       the KV-state cache
 */
public record TenantStatsView(String tenant, Figures response, Figures kv) {

    /**
     * @param entries entries stored now
     * @param bytes   bytes of their values
     * @param hits    lookups answered since the tenant's last flush
     * @param misses  lookups not found since the tenant's last flush
     */
    public record Figures(long entries, long bytes, long hits, long misses) {
    }
}
