package dev.dragon.contracts.events;

/**
 * An operator's pin or unpin, published by the learner's admin API under {@link EventTopics#CONTROL_KEY} on
 * {@value EventTopics#ADAPTERS} (compaction keeps the latest). While a pin is in force routers serve the pinned
 * version whatever newer versions arrive; after an unpin they serve the newest version again.
 *
 * @param schemaVersion {@link #SCHEMA_VERSION}
 * @param action        {@link Action#PIN} or {@link Action#UNPIN}
 * @param version       the pinned version (0 pins the bundle's own layer; ignored for an unpin)
 * @param issuedAtMs    when it was issued, epoch milliseconds
 * @param signature     lowercase hex HMAC-SHA256 of {@link AdapterSignatures#controlMessage}
 */
public record AdapterControlEvent(int schemaVersion, Action action, long version, long issuedAtMs, String signature) {

    public static final int SCHEMA_VERSION = 1;

    public enum Action { PIN, UNPIN }
}
