package dev.dragon.support.web;

/** Response and hop-by-hop headers of the Dragon API. */
public final class DragonHeaders {

    /** Request id: taken from the client or the gateway when present and well-formed, else generated. */
    public static final String REQUEST_ID = "x-dragon-request-id";
    public static final String MODEL_VERSION = "x-dragon-model-version";
    public static final String ADAPTER_VERSION = "x-dragon-adapter-version";
    /** {@code hit}, {@code miss} or {@code bypass}. */
    public static final String CACHE = "x-dragon-cache";
    /** On a hit: {@code near} (the router's own copy) or {@code shared} (from cache-service). */
    public static final String CACHE_TIER = "x-dragon-cache-tier";
    /** The authenticated tenant, set by the gateway on requests it forwards (never trusted from clients). */
    public static final String TENANT = "x-dragon-tenant";
    /**
     * W3C Server Timing: where a response spent its time inside a service, e.g. {@code near;dur=0.21} (milliseconds)
     * on a router's near-cache hit; a proxy in front appends its own entry.
     */
    public static final String SERVER_TIMING = "Server-Timing";

    private DragonHeaders() {
    }
}
