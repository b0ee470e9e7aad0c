package dev.dragon.router.config;

import dev.dragon.router.adapters.AdaptersProperties;
import dev.dragon.router.cache.CacheClientProperties;
import dev.dragon.router.discovery.DiscoveryProperties;
import dev.dragon.router.dispatch.DispatchProperties;
import dev.dragon.router.events.EventsProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Everything router-service reads from configuration ({@code dragon.router.*}).
 *
 * @param model     which bundle to serve and under which model id
 * @param engine    continuous batching, ONNX Runtime threads and expert gating
 * @param api       request limits of the OpenAI-compatible API
 * @param dispatch  where routed experts run ({@code dragon.router.dispatch.*}, see {@link DispatchProperties})
 * @param discovery where expert-group replicas are found ({@code dragon.router.discovery.*}, see
 *                  {@link DiscoveryProperties})
 * @param cache     the cache-service clients ({@code dragon.router.cache.*}, see {@link CacheClientProperties})
 * @param events    interaction and feedback events ({@code dragon.router.events.*}, see {@link EventsProperties})
 * @param adapters  adapter versions followed from Kafka ({@code dragon.router.adapters.*}, see
 *                  {@link AdaptersProperties})
 * @param tenant    whose cache entries a request reads and writes
 * @param warmUp    requests this router sends itself before it reports ready
 */
@Validated
@ConfigurationProperties("dragon.router")
public record RouterProperties(@Valid @NotNull @DefaultValue Model model,
                               @Valid @NotNull @DefaultValue Engine engine,
                               @Valid @NotNull @DefaultValue Api api,
                               @Valid @NotNull @DefaultValue DispatchProperties dispatch,
                               @Valid @NotNull @DefaultValue DiscoveryProperties discovery,
                               @Valid @NotNull @DefaultValue CacheClientProperties cache,
                               @Valid @NotNull @DefaultValue EventsProperties events,
                               @Valid @NotNull @DefaultValue AdaptersProperties adapters,
                               @Valid @NotNull @DefaultValue Tenant tenant,
                               @Valid @NotNull @DefaultValue WarmUp warmUp) {

    /**
     * Ready means warm: before readiness turns ACCEPTING_TRAFFIC the router answers {@code rounds} rounds of
     * real API requests of its own over loopback (chat, streamed chat, completion; the response cache's miss
     * and hit paths; the dispatch streams to every expert group), as tenant {@code _warm-up}, whose requests
     * publish no interaction events. Requests that fail (expert groups not up yet) are retried until
     * {@code timeout}; then the router reports ready anyway and logs what did not warm.
     */
    public record WarmUp(@DefaultValue("true") boolean enabled,
                         @Min(1) @Max(64) @DefaultValue("3") int rounds,
                         @NotNull @DefaultValue("60s") java.time.Duration timeout) {
    }

    /** @param defaultTenant tenant of a request without an {@code x-dragon-tenant} header (cache keys) */
    public record Tenant(@NotBlank @DefaultValue("default") String defaultTenant) {
    }

    /**
     * @param bundlePath bundle directory (relative paths resolve against the working directory)
     * @param servedId   the model id clients ask for ({@code model} in requests, {@code GET /v1/models})
     */
    public record Model(@NotBlank @DefaultValue("models/dragon-moe-mini") String bundlePath,
                        @NotBlank @DefaultValue("dragon-moe-mini") String servedId) {
    }

    /**
     * @param maxBatch             sequences decoded together (KV slots)
     * @param maxQueue             requests waiting for a slot; one more is refused with 429
     * @param prefillTokensPerStep prompt tokens prefilled between two decode steps
     * @param ortThreads           ONNX Runtime intra-op threads; 0 = one per core, at most 8
     * @param ortSpinning          whether idle ORT threads spin (lower latency, burns CPU)
     * @param microBatches         staggered micro-batches per decode step with remote experts (1: no overlap;
     *                             in-process experts always use 1, there is no remote work to hide)
     * @param minRowsPerMicroBatch a step is split only while every micro-batch keeps at least this many rows
     * @param gating               how many routed experts a token gets
     */
    public record Engine(@Min(1) @DefaultValue("32") int maxBatch,
                         @Min(1) @DefaultValue("256") int maxQueue,
                         @Min(1) @DefaultValue("256") int prefillTokensPerStep,
                         @Min(0) @Max(64) @DefaultValue("0") int ortThreads,
                         @DefaultValue("false") boolean ortSpinning,
                         @Min(1) @Max(8) @DefaultValue("2") int microBatches,
                         @Min(1) @DefaultValue("8") int minRowsPerMicroBatch,
                         @Valid @NotNull @DefaultValue Gating gating) {
    }

    /**
     * @param mode {@code top-k}: the bundle's k experts per token; {@code adaptive}: the fewest experts whose
     *             affinity mass reaches {@code topP}, between {@code kMin} and {@code kMax}
     */
    public record Gating(@NotNull @DefaultValue("top-k") GatingMode mode,
                         @Positive @DecimalMax("1.0") @DefaultValue("0.9") double topP,
                         @Min(1) @DefaultValue("1") int kMin,
                         @Min(1) @DefaultValue("4") int kMax) {

        public Gating {
            if (kMin > kMax) {
                throw new IllegalArgumentException("dragon.router.engine.gating: k-min (" + kMin
                        + ") must not exceed k-max (" + kMax + ")");
            }
        }
    }

    /** Expert selection modes. */
    public enum GatingMode { TOP_K, ADAPTIVE }

    /**
     * @param maxPromptTokens   longest prompt accepted, in tokens (chat template included)
     * @param maxTokensCap      largest {@code max_tokens} accepted
     * @param defaultMaxTokens  {@code max_tokens} when a request gives none
     * @param maxStopSequences  most {@code stop} strings per request
     * @param retryAfterSeconds {@code Retry-After} of a 429 when the queue is full
     */
    public record Api(@Min(1) @DefaultValue("4096") int maxPromptTokens,
                      @Min(1) @DefaultValue("4096") int maxTokensCap,
                      @Min(1) @DefaultValue("256") int defaultMaxTokens,
                      @Min(0) @Max(16) @DefaultValue("4") int maxStopSequences,
                      @Min(1) @DefaultValue("1") int retryAfterSeconds) {

        public Api {
            if (defaultMaxTokens > maxTokensCap) {
                throw new IllegalArgumentException("dragon.router.api: default-max-tokens (" + defaultMaxTokens
                        + ") must not exceed max-tokens-cap (" + maxTokensCap + ")");
            }
        }
    }
}
