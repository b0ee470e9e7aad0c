package dev.dragon.learning.ingest;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** JSON of the event records on the wire (UTF-8 bytes); unknown fields are tolerated for forward compatibility. */
public final class EventCodec {

    private final JsonMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public byte[] write(Object event) {
        return mapper.writeValueAsBytes(event);
    }

    /** @throws MalformedEventException when the bytes are not a {@code type} */
    public <T> T read(byte[] bytes, Class<T> type) {
        if (bytes == null) {
            throw new MalformedEventException("empty record value");
        }
        try {
            return mapper.readValue(bytes, type);
        } catch (JacksonException e) {
            throw new MalformedEventException("not a " + type.getSimpleName() + ": " + e.getOriginalMessage());
        }
    }
}
