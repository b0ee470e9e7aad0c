package dev.dragon.router.scheduling;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * A response-cache entry as the router's near cache holds it: the recorded generation, the prompt's token ids
 * (so a hit needs no tokenizing, even for its interaction event), and the bytes of each framing it was replayed
 * in (rendered once, by the API layer, on the first hit in that framing).
 */
public final class NearEntry {

    /** Weight per byte of the stored body: the record itself plus up to three rendered framings of similar size. */
    static final int WEIGHT_PER_BODY_BYTE = 4;

    private final RecordedGeneration recorded;
    private final int[] promptIds;
    private final int weight;
    private final ConcurrentMap<Object, Object> renderings = new ConcurrentHashMap<>(4);

    NearEntry(RecordedGeneration recorded, int[] promptIds, int bodyBytes) {
        this.recorded = recorded;
        this.promptIds = promptIds.clone();
        this.weight = Math.multiplyExact(bodyBytes, WEIGHT_PER_BODY_BYTE) + promptIds.length * Integer.BYTES;
    }

    public RecordedGeneration recorded() {
        return recorded;
    }

    public int[] promptIds() {
        return promptIds.clone();
    }

    /** Bytes this entry holds, for the near cache's bound. */
    public int weight() {
        return weight;
    }

    /** The rendering of this entry under {@code framing}, made by {@code render} the first time it is asked for. */
    @SuppressWarnings("unchecked")
    public <T> T rendering(Object framing, Function<RecordedGeneration, T> render) {
        return (T) renderings.computeIfAbsent(framing, f -> render.apply(recorded));
    }
}
