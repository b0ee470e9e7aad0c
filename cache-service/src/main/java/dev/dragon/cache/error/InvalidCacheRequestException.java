package dev.dragon.cache.error;

/** A request field is missing or malformed (or a stream is out of order); names the field. */
public final class InvalidCacheRequestException extends CacheException {

    private static final long serialVersionUID = 1L;

    private final String param;
    private final boolean schema;

    private InvalidCacheRequestException(String param, String message, boolean schema) {
        super(message, null);
        this.param = param;
        this.schema = schema;
    }

    public InvalidCacheRequestException(String param, String message) {
        this(param, message, false);
    }

    /** A {@code schema_version} this service does not speak. */
    public static InvalidCacheRequestException unsupportedSchema(int version) {
        return new InvalidCacheRequestException("schema_version",
                "schema_version " + version + " is not supported (this service speaks 1)", true);
    }

    /** The request field at fault ({@code tenant}, {@code key}, ...). */
    public String param() {
        return param;
    }

    public boolean isSchemaMismatch() {
        return schema;
    }

    @Override
    public String reason() {
        return "invalid";
    }
}
