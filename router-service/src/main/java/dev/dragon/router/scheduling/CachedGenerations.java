package dev.dragon.router.scheduling;

import dev.dragon.contracts.v1.CachedResponse;
import dev.dragon.core.engine.PrefixCache;
import dev.dragon.core.kv.KvState;
import dev.dragon.router.cache.CacheLookup;
import dev.dragon.router.cache.CacheOutcome;
import dev.dragon.router.cache.KvPrefix;
import dev.dragon.router.cache.KvStateCacheClient;
import dev.dragon.router.cache.NearResponseCache;
import dev.dragon.router.cache.ResponseCacheClient;
import dev.dragon.router.cache.ResponseCacheKey;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Answers a request through both caches. The response cache first: the router's near cache (served by the API
 * layer before this is called, see {@link #nearHit}), then cache-service; a hit is the stored generation replayed;
 * otherwise the engine generates, with the KV-state cache restoring the longest stored prefix of the prompt
 * (only the rest is prefilled) and capturing the state at block boundaries beyond it (the longest block-aligned
 * prefix and a few earlier ones, see {@code KvStateCacheClient.capturePoints}).
 * A complete, deterministic answer is stored after it finished, under the key it was looked up with, if the
 * adapter version it was generated with is still the key's. Hits from cache-service and stored answers are
 * kept in the near cache too. Stores run on {@code background}, never delaying
 * or failing the answer; any cache failure is a bypass (the clients never fail their Monos).
 */
public final class CachedGenerations {

    private static final Logger LOG = LoggerFactory.getLogger(CachedGenerations.class);

    /**
     * One request's answer.
     *
     * @param cache          the response cache's outcome ({@code x-dragon-cache})
     * @param events         the generation's events, cold: subscribing generates (or replays)
     * @param adapterVersion the adapter version a replayed answer was generated with; null for a fresh one
     */
    public record Answer(CacheOutcome cache, Flux<TokenEvent> events, String adapterVersion) {
    }

    private final GenerationScheduler scheduler;
    private final ResponseCacheClient responses;
    private final KvStateCacheClient states;
    private final NearResponseCache<NearEntry> near;
    private final Scheduler background;

    public CachedGenerations(GenerationScheduler scheduler, ResponseCacheClient responses, KvStateCacheClient states,
                             NearResponseCache<NearEntry> near, Scheduler background) {
        this.scheduler = scheduler;
        this.responses = responses;
        this.states = states;
        this.near = near;
        this.background = background;
    }

    /** The near cache's entry for {@code key}, when it holds one and is serving: no call, no tokenizing. */
    public Optional<NearEntry> nearHit(ResponseCacheKey key) {
        return near.get(key);
    }

    public GenerationScheduler scheduler() {
        return scheduler;
    }

    /**
     * @param tenant whose entries are read and written
     * @param key    the response-cache key when the request is eligible ({@code ResponseCachePolicy}); empty:
     *               a bypass, nothing stored
     */
    public Mono<Answer> answer(String requestId, String tenant, PreparedGeneration generation,
                               Optional<ResponseCacheKey> key) {
        long seen = near.generation();                 // what is looked up now may predate a purge seen later
        Mono<CacheLookup<CachedResponse>> lookup = key.map(responses::lookup)
                .orElseGet(() -> Mono.fromSupplier(responses::skip))
                .onErrorResume(e -> Mono.just(CacheLookup.bypass()));
        return lookup.map(found -> {
            Optional<CachedResponse> entry = found.value();
            Optional<RecordedGeneration> hit = entry
                    .flatMap(e -> RecordedGeneration.decode(e.getBody().toByteArray(), e.getContentType()));
            if (hit.isPresent()) {
                near.put(key.orElseThrow(), new NearEntry(hit.get(), generation.promptIds(),
                        entry.orElseThrow().getBody().size()), seen);
                return new Answer(CacheOutcome.HIT, hit.get().replay(requestId), hit.get().completion().adapterVersion());
            }
            Flux<TokenEvent> fresh = generate(requestId, tenant, generation);
            CacheOutcome outcome = found.isHit() ? CacheOutcome.MISS : found.outcome();   // unreadable entry: a miss
            return new Answer(outcome, key.map(k -> recorded(fresh, k, generation.promptIds(), seen)).orElse(fresh),
                    null);
        });
    }

    /** Generates with the longest stored prompt prefix restored, capturing states at the block boundaries beyond it. */
    private Flux<TokenEvent> generate(String requestId, String tenant, PreparedGeneration generation) {
        int[] prompt = generation.promptIds();
        return states.lookup(tenant, prompt)
                .onErrorResume(e -> Mono.just(CacheLookup.bypass()))
                .flatMapMany(found -> scheduler.generate(requestId, generation,
                        prefixCache(found.value(), states.capturePoints(prompt.length,
                                        found.value().map(KvPrefix::tokens).orElse(0)),
                                state -> storeState(tenant, prompt, state))));
    }

    /** Null when there is nothing to restore or capture; only points beyond the restored prefix are captured. */
    static PrefixCache prefixCache(Optional<KvPrefix> restore, int[] capturePoints, Consumer<KvState> store) {
        int restored = restore.map(KvPrefix::tokens).orElse(0);
        int[] beyond = Arrays.stream(capturePoints).filter(p -> p > restored).toArray();
        if (restore.isEmpty() && beyond.length == 0) {
            return null;
        }
        return new PrefixCache(restore.map(KvPrefix::state).orElse(null), restored, beyond,
                beyond.length > 0 ? store : null);
    }

    /** Called on the engine thread: only hands the state off. */
    private void storeState(String tenant, int[] prompt, KvState state) {
        Mono.defer(() -> states.store(tenant, prompt, Math.toIntExact(state.nextPosition()), state))
                .subscribeOn(background)
                .subscribe(stored -> LOG.debug("KV state of a {}-token prefix stored: {}", state.nextPosition(), stored),
                        e -> LOG.debug("KV state not stored: {}", e.toString()));
    }

    /** {@code fresh}, recording its events; a complete answer is stored (near and in cache-service) once it ended. */
    private Flux<TokenEvent> recorded(Flux<TokenEvent> fresh, ResponseCacheKey key, int[] promptIds, long seen) {
        return Flux.defer(() -> {
            RecordedGeneration.Recorder recorder = new RecordedGeneration.Recorder();
            return fresh.doOnNext(recorder::add)
                    .doOnComplete(() -> recorder.finished()
                            .filter(r -> r.completion().adapterVersion().equals(key.adapterVersion()))
                            .ifPresent(r -> Mono.fromCallable(r::encode)
                                    .doOnNext(body -> near.put(key, new NearEntry(r, promptIds, body.length), seen))
                                    .flatMap(body -> responses.store(key, body, RecordedGeneration.CONTENT_TYPE))
                                    .subscribeOn(background)
                                    .subscribe(stored -> LOG.debug("response stored: {}", stored),
                                            e -> LOG.debug("response not stored: {}", e.toString()))));
        });
    }
}
