package dev.dragon.cache.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Everything cache-service reads from configuration ({@code dragon.cache.*}); the Redis address itself is
 * Spring Boot's {@code spring.data.redis.*}.
 */
@ConfigurationProperties("dragon.cache")
@Validated
public record CacheProperties(@Valid @DefaultValue Response response, @Valid @DefaultValue Kv kv,
                              @Valid @DefaultValue Redis redis, @Valid @DefaultValue Purges purges) {

    /**
     * @param ttl          how long a stored response stays readable
     * @param maxEntrySize largest serialized entry accepted; larger ones are refused (TOO_LARGE) and counted
     */
    public record Response(@NotNull @DefaultValue("10m") Duration ttl,
                           @NotNull @DefaultValue("1MB") DataSize maxEntrySize) {
    }

    /**
     * @param ttl             how long a stored KV state stays readable
     * @param maxStateSize    largest encoded state accepted; larger ones are refused (TOO_LARGE) and counted
     * @param maxChunkSize    largest chunk accepted in a PutKvState stream
     * @param maxPrefixHashes most prefix hashes one RestoreLongestPrefix or FindLongestPrefix may ask about
     * @param chunkGrace      chunks outlive their state's header by this much, so a reader that saw the
     *                        header can still read every chunk
     */
    public record Kv(@NotNull @DefaultValue("30m") Duration ttl,
                     @NotNull @DefaultValue("16MB") DataSize maxStateSize,
                     @NotNull @DefaultValue("1MB") DataSize maxChunkSize,
                     @Min(1) @Max(65_536) @DefaultValue("4096") int maxPrefixHashes,
                     @NotNull @DefaultValue("1m") Duration chunkGrace) {
    }

    /**
     * @param keyPrefix         first part of every key this service writes
     * @param timeout           longest wait for one Redis round trip; then the RPC answers UNAVAILABLE
     * @param connectTimeout    TCP connect timeout towards Redis
     * @param reconnectMaxDelay upper bound of Lettuce's exponential reconnect back-off
     * @param evictionPolicy    {@code maxmemory-policy} set on Redis at startup and after every reconnect
     * @param maxmemory         {@code maxmemory} set with it; 0 leaves the server's value alone
     * @param probeInterval     how often Redis is PINGed ({@code dragon_cache_redis_up})
     * @param statsInterval     how often evictions and entry counts are polled
     * @param logInterval       at most one Redis-failure log line per interval (the rest are counted)
     * @param scanBatch         keys per SCAN/UNLINK batch when flushing a tenant
     */
    public record Redis(@NotNull @Pattern(regexp = "[A-Za-z0-9._-]+(:[A-Za-z0-9._-]+)*") @DefaultValue("dragon:cache:v1") String keyPrefix,
                        @NotNull @DefaultValue("250ms") Duration timeout,
                        @NotNull @DefaultValue("1s") Duration connectTimeout,
                        @NotNull @DefaultValue("2s") Duration reconnectMaxDelay,
                        @NotNull @Pattern(regexp = "(allkeys|volatile)-(lru|lfu|random)|volatile-ttl|noeviction")
                        @DefaultValue("volatile-lru") String evictionPolicy,
                        @NotNull @DefaultValue("0") DataSize maxmemory,
                        @NotNull @DefaultValue("1s") Duration probeInterval,
                        @NotNull @DefaultValue("15s") Duration statsInterval,
                        @NotNull @DefaultValue("30s") Duration logInterval,
                        @Min(1) @DefaultValue("500") int scanBatch) {
    }

    /**
     * WatchPurges: the purge log in Redis and this replica's feed of it.
     *
     * @param pollInterval how often the feed reads new purges from the log (a flush reaches routers within
     *                     about this plus one Redis round trip)
     * @param retention    each flush trims the purges more than this older than itself from the log; a watch
     *                     resuming after an id the log no longer holds gets RESET
     * @param batch        most log entries read per Redis call (the feed reads again at once after a full page)
     * @param watcherQueue most notices that may wait for one watcher; a watcher further behind is ended
     *                     (RESOURCE_EXHAUSTED) and watches again
     */
    public record Purges(@NotNull @DurationMin(millis = 1) @DefaultValue("100ms") Duration pollInterval,
                         @NotNull @DurationMin(seconds = 1) @DefaultValue("1h") Duration retention,
                         @Min(1) @Max(10_000) @DefaultValue("100") int batch,
                         @Min(1) @DefaultValue("1000") int watcherQueue) {

        /** A replay reads whole pages into the watcher's queue. */
        @AssertTrue(message = "watcher-queue must be at least batch")
        public boolean isWatcherQueueHoldingABatch() {
            return watcherQueue >= batch;
        }
    }
}
