package dev.dragon.cache.purge;

import dev.dragon.cache.config.CacheProperties;
import dev.dragon.cache.redis.CacheRedis;
import dev.dragon.cache.redis.CacheScripts;
import dev.dragon.cache.redis.RedisCalls;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.core.ReactiveStreamOperations;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The purge log: a Redis stream ({@code P:purges}) with one entry {@code {tenant}} per tenant flush, shared by
 * every cache-service replica of one Redis. Each append ({@code purge_append.lua}) trims exactly
 * ({@code XTRIM MINID}) the entries more than {@code purges.retention} older than the new one; trimming only
 * ever removes the oldest entries, so "the log still holds every purge after id X" is exactly "its oldest
 * entry is at or before X" ({@link #holdsEverythingAfter}). Only non-blocking commands (no XREAD BLOCK): the
 * Lettuce connection is shared by every call. The key has no TTL, so {@code volatile-*} eviction never
 * takes it.
 */
@Component
public class PurgeLog implements PurgeHistory {

    private static final String TENANT = "tenant";

    private final RedisCalls calls;
    private final CacheScripts scripts;
    private final ReactiveStreamOperations<String, String, String> stream;
    private final String key;
    private final long retentionMillis;

    public PurgeLog(CacheRedis redis, CacheProperties properties) {
        this.calls = redis.calls();
        this.scripts = redis.scripts();
        this.stream = calls.redis().opsForStream();
        this.key = redis.keys().purges();
        this.retentionMillis = properties.purges().retention().toMillis();
    }

    /** Logs that {@code tenant} was flushed, trimming what is older than the retention; the entry's id. */
    public Mono<PurgeId> append(String tenant) {
        return calls.script("purge_append", scripts.purgeAppend(), List.of(key), CacheScripts.args(tenant, retentionMillis))
                .map(id -> id(RecordId.of(new String(id, StandardCharsets.UTF_8))));
    }

    /** Up to {@code count} entries after {@code from} and at most {@code to} (null: no upper bound), in order. */
    @Override
    public Mono<List<PurgeEntry>> after(PurgeId from, PurgeId to, int count) {
        Range<String> range = Range.of(Range.Bound.exclusive(from.toString()),
                to == null ? Range.Bound.unbounded() : Range.Bound.inclusive(to.toString()));
        return calls.mono("purge_read", stream.range(key, range, Limit.limit().count(count))
                .map(PurgeLog::entry).collectList());
    }

    /** The newest entry's id; empty when the log is empty. */
    public Mono<PurgeId> last() {
        return calls.mono("purge_last", stream.reverseRange(key, Range.unbounded(), Limit.limit().count(1)).next())
                .map(r -> id(r.getId()));
    }

    /**
     * Whether the log still holds every purge after {@code id}: its oldest entry is at or before {@code id}.
     * Asked only by a watch that knows of a purge after {@code id} (its feed saw one), so an empty log (Redis
     * lost it) holds nothing.
     */
    @Override
    public Mono<Boolean> holdsEverythingAfter(PurgeId id) {
        return calls.mono("purge_first", stream.range(key, Range.unbounded(), Limit.limit().count(1)).next())
                .map(r -> !id(r.getId()).isAfter(id))
                .defaultIfEmpty(false);
    }

    private static PurgeEntry entry(MapRecord<String, String, String> record) {
        return new PurgeEntry(id(record.getId()), record.getValue().get(TENANT));
    }

    private static PurgeId id(RecordId id) {
        return new PurgeId(id.getTimestamp(), id.getSequence());
    }
}
