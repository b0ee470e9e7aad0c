package dev.dragon.support.web;

/**
 * Tenant names the platform uses for itself. Every name that starts with {@code _} is reserved: the gateway's
 * admin API refuses to create such a tenant, so no API key can act as one.
 */
public final class ReservedTenants {

    /** The tenant of the requests a service sends itself before it reports ready (no events, own cache entries). */
    public static final String WARM_UP = "_warm-up";

    private ReservedTenants() {
    }

    public static boolean isReserved(String tenant) {
        return tenant.startsWith("_");
    }
}
