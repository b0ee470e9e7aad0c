package dev.dragon.gateway.auth;

/** Who a public request is from: set as an exchange attribute once its key checked out. */
public record Authenticated(String tenant, String keyId, TenantPlan plan) {

    /** Exchange attribute holding the {@link Authenticated} of a request. */
    public static final String ATTRIBUTE = Authenticated.class.getName();
}
