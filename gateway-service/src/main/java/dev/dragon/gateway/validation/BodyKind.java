package dev.dragon.gateway.validation;

import org.springframework.cloud.gateway.route.Route;

/** What a route's request body must be; carried in the route's metadata under {@link #METADATA_KEY}. */
public enum BodyKind {
    CHAT, COMPLETION, FEEDBACK;

    public static final String METADATA_KEY = "dragon-body";

    /** The body kind of {@code route}, or null for a route without a body (GET). */
    public static BodyKind of(Route route) {
        Object kind = route == null ? null : route.getMetadata().get(METADATA_KEY);
        return kind == null || kind.toString().isEmpty() ? null : valueOf(kind.toString());
    }

    public boolean generates() {
        return this != FEEDBACK;
    }
}
