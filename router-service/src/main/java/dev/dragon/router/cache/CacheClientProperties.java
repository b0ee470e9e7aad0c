package dev.dragon.router.cache;

import dev.dragon.core.tensor.TensorCodec;
import java.time.Duration;
import org.springframework.util.unit.DataSize;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the router uses cache-service ({@code dragon.router.cache.*}); nested in the router's one properties
 * record. Checked when built, naming the property at fault.
 *
 * @param enabled     false: every lookup is a bypass and nothing is stored (no call is made)
 * @param target      gRPC target of cache-service ({@code host:port}, or {@code dns:///name:port} to spread
 *                    calls over every address of a headless service)
 * @param timeout     deadline of one response-cache call
 * @param kvTimeout   deadline of one KV-state transfer (RestoreLongestPrefix, PutKvState)
 * @param blockSize   tokens per block of the prompt-prefix hash chain
 * @param precision   KV states on the wire and in Redis: {@code fp16} (half the bytes) or {@code fp32} (exact)
 * @param chunkBytes  bytes per PutKvState chunk, each one Redis value (cache-service's {@code kv.max-chunk-size}
 *                    must allow it). Keep it a little under a power of two: Redis's allocator rounds a 256 KiB
 *                    value plus its header up to 320 KiB (25% lost, measured), 262,016 bytes fit in 256 KiB
 * @param capture     at which prompt lengths a request's KV states are captured and stored
 * @param breaker     when to stop calling cache-service, and when to try again
 * @param near        the router's own copy of response-cache hits, in front of cache-service
 * @param logInterval at most one "cache unavailable" log line per interval (per cache)
 */
public record CacheClientProperties(@DefaultValue("true") boolean enabled,
                                    @DefaultValue("localhost:9093") String target,
                                    @DefaultValue("150ms") Duration timeout,
                                    @DefaultValue("2s") Duration kvTimeout,
                                    @DefaultValue("32") int blockSize,
                                    @DefaultValue("fp16") TensorCodec.Precision precision,
                                    @DefaultValue("262016") int chunkBytes,
                                    @DefaultValue Capture capture,
                                    @DefaultValue Breaker breaker,
                                    @DefaultValue Near near,
                                    @DefaultValue("30s") Duration logInterval) {

    /**
     * Where a request's prefill captures KV states for the cache ({@code KvStateCacheClient.capturePoints}):
     * the longest cacheable prefix, plus earlier block boundaries on a grid of {@code everyBlocks} blocks, so
     * that a later prompt sharing only the start of this one (the system prompt, earlier turns) still restores
     * most of what it shares. The grid is the same for every prompt (coarsened by powers of two when a prompt
     * would get more than {@code maxPoints}), so two prompts sharing a prefix capture and look up the same
     * boundaries. Each point is one state stored (one PutKvState of the whole state).
     *
     * @param everyBlocks finest spacing of the earlier capture points, in blocks
     * @param maxPoints   most states captured per request (1: only the longest cacheable prefix)
     */
    public record Capture(@DefaultValue("4") int everyBlocks,
                          @DefaultValue("4") int maxPoints) {

        public Capture {
            require(everyBlocks >= 1 && everyBlocks <= 1 << 16, "capture.every-blocks", "must be in [1, 65536]",
                    everyBlocks);
            require(maxPoints >= 1 && maxPoints <= 64, "capture.max-points", "must be in [1, 64]", maxPoints);
        }
    }

    /**
     * Resilience4j circuit breaker settings (count-based window).
     *
     * @param failureRate   percentage of failed calls in the window that opens the breaker
     * @param window        calls in the sliding window
     * @param minimumCalls  calls before the failure rate is evaluated
     * @param openFor       how long an open breaker bypasses every call before letting trial calls through
     * @param trialCalls    calls let through while half-open; their outcome closes or reopens the breaker
     */
    public record Breaker(@DefaultValue("50") int failureRate,
                          @DefaultValue("20") int window,
                          @DefaultValue("5") int minimumCalls,
                          @DefaultValue("5s") Duration openFor,
                          @DefaultValue("3") int trialCalls) {

        public Breaker {
            require(failureRate >= 1 && failureRate <= 100, "breaker.failure-rate", "must be in [1, 100]", failureRate);
            require(window >= 1, "breaker.window", "must be >= 1", window);
            require(minimumCalls >= 1, "breaker.minimum-calls", "must be >= 1", minimumCalls);
            require(positive(openFor), "breaker.open-for", "must be positive", openFor);
            require(trialCalls >= 1, "breaker.trial-calls", "must be >= 1", trialCalls);
        }
    }

    /**
     * The near cache ({@link NearResponseCache}).
     *
     * @param enabled      false: every hit comes from cache-service
     * @param maxBytes     bound on what its entries hold (recorded generations and their rendered replays)
     * @param maxIdle      an entry not read for this long is dropped
     * @param rewatchDelay wait after the purge watch broke before watching again (hits are not served meanwhile)
     */
    public record Near(@DefaultValue("true") boolean enabled,
                       @DefaultValue("64MB") DataSize maxBytes,
                       @DefaultValue("10m") Duration maxIdle,
                       @DefaultValue("500ms") Duration rewatchDelay) {

        public Near {
            require(maxBytes != null && maxBytes.toBytes() >= 1, "near.max-bytes", "must be positive", maxBytes);
            require(positive(maxIdle), "near.max-idle", "must be positive", maxIdle);
            require(positive(rewatchDelay), "near.rewatch-delay", "must be positive", rewatchDelay);
        }
    }

    public CacheClientProperties {
        require(target != null && !target.isBlank(), "target", "must not be blank", target);
        require(positive(timeout), "timeout", "must be positive", timeout);
        require(positive(kvTimeout), "kv-timeout", "must be positive", kvTimeout);
        require(blockSize >= 1 && blockSize <= 4096, "block-size", "must be in [1, 4096]", blockSize);
        require(precision != null, "precision", "must be fp16 or fp32", precision);
        require(chunkBytes >= 1024, "chunk-bytes", "must be >= 1024", chunkBytes);
        require(capture != null, "capture", "must be set", capture);
        require(breaker != null, "breaker", "must be set", breaker);
        require(near != null, "near", "must be set", near);
        require(positive(logInterval), "log-interval", "must be positive", logInterval);
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    private static void require(boolean ok, String property, String rule, Object value) {
        if (!ok) {
            throw new IllegalArgumentException("dragon.router.cache." + property + " " + rule + ", was " + value);
        }
    }
}
