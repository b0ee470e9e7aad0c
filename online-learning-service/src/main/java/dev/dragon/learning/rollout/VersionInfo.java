package dev.dragon.learning.rollout;

import dev.dragon.contracts.events.AdapterVersionEvent;
import dev.dragon.contracts.events.GateMetrics;

/**
 * One published adapter version, without its weights (what the admin API lists).
 *
 * @param version     the version number
 * @param parent      the version it was trained from
 * @param rollbackOf  the version it copies when it is a rollback, else null
 * @param createdAtMs epoch milliseconds
 * @param checksum    SHA-256 of its weights
 * @param method      predictive-coding, gradient-descent or rollback
 * @param gate        what the gate measured (null for a rollback)
 */
public record VersionInfo(long version, long parent, Long rollbackOf, long createdAtMs, String checksum,
                          String method, GateMetrics gate) {

    public static VersionInfo of(AdapterVersionEvent e) {
        return new VersionInfo(e.version(), e.parent(), e.rollbackOf(), e.createdAtMs(), e.checksum(), e.method(),
                e.gate());
    }
}
