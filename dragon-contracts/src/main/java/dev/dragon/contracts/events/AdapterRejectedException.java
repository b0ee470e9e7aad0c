package dev.dragon.contracts.events;

/** An adapter record that must not be used; {@link #reason()} is a bounded metric label. */
public final class AdapterRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a record was refused (the {@code reason} label of {@code dragon_adapter_rejected_total}). */
    public enum Reason {
        MALFORMED, SCHEMA, SIGNATURE, CHECKSUM, SHAPE, MODEL;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Reason reason;

    public AdapterRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
