package dev.dragon.router.cache;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Runs one cache's calls through a Resilience4j circuit breaker and turns every failure into a bypass:
 * a call that fails (cache-service or Redis down, too slow) is counted {@code error}, a call the open
 * breaker refuses is counted {@code bypass}, and neither ever reaches the request. Only failures that say
 * cache-service is unwell (UNAVAILABLE, DEADLINE_EXCEEDED, ...) count towards opening the breaker; after
 * {@code open-for} trial calls go through and the breaker closes again by itself when they succeed.
 * Counts {@code dragon_cache_requests_total{cache, result}}; logs breaker transitions and failures at
 * most once per {@code log-interval}.
 */
final class CacheCallGuard {

    private static final Logger log = LoggerFactory.getLogger(CacheCallGuard.class);

    /** Status codes that mean cache-service (or its Redis) cannot serve, as opposed to a refused request. */
    private static final Set<Status.Code> UNWELL = Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
            Status.Code.INTERNAL, Status.Code.UNKNOWN, Status.Code.RESOURCE_EXHAUSTED, Status.Code.ABORTED,
            Status.Code.UNIMPLEMENTED);

    private final String cache;
    private final CircuitBreaker breaker;
    private final Map<CacheOutcome, Counter> lookups = new EnumMap<>(CacheOutcome.class);
    private final Counter errors;
    private final long logIntervalNanos;
    private final AtomicLong nextLogNanos = new AtomicLong(System.nanoTime());

    /** @param onTrial run when the breaker starts letting trial calls through (half-open) */
    CacheCallGuard(String cache, CacheClientProperties.Breaker settings, Duration logInterval, MeterRegistry registry,
                   Runnable onTrial) {
        this.cache = cache;
        this.breaker = CircuitBreaker.of("cache-" + cache, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.window())
                .minimumNumberOfCalls(settings.minimumCalls())
                .failureRateThreshold(settings.failureRate())
                .waitDurationInOpenState(settings.openFor())
                .permittedNumberOfCallsInHalfOpenState(settings.trialCalls())
                .recordException(CacheCallGuard::isUnwell)
                .build());
        for (CacheOutcome outcome : CacheOutcome.values()) {
            lookups.put(outcome, counter(registry, outcome.header()));
        }
        this.errors = counter(registry, "error");
        this.logIntervalNanos = logInterval.toNanos();
        breaker.getEventPublisher().onStateTransition(e -> {
            CircuitBreaker.State to = e.getStateTransition().getToState();
            if (to == CircuitBreaker.State.HALF_OPEN) {
                onTrial.run();
            }
            log.warn("{} cache: circuit breaker {} ({})", cache, e.getStateTransition(), switch (to) {
                case OPEN, FORCED_OPEN -> "cache-service is failing: requests bypass the cache";
                case HALF_OPEN -> "trying cache-service again";
                default -> "cache in use again";
            });
        });
    }

    private Counter counter(MeterRegistry registry, String result) {
        return Counter.builder("dragon.cache.requests").tag("cache", cache).tag("result", result)
                .description("cache lookups from this router").register(registry);
    }

    static boolean isUnwell(Throwable t) {
        return t instanceof StatusRuntimeException s ? UNWELL.contains(s.getStatus().getCode())
                : t instanceof java.util.concurrent.TimeoutException;
    }

    CircuitBreaker breaker() {
        return breaker;
    }

    /** A lookup: its outcome is counted; any failure becomes a bypass. */
    <T> Mono<CacheLookup<T>> lookup(Mono<CacheLookup<T>> call) {
        return call.transformDeferred(CircuitBreakerOperator.of(breaker))
                .doOnNext(result -> lookups.get(result.outcome()).increment())
                .onErrorResume(e -> Mono.just(failed(e)));
    }

    /** A store: true when stored; any failure is logged (rate-limited) and becomes false. */
    Mono<Boolean> store(Mono<Boolean> call) {
        return call.transformDeferred(CircuitBreakerOperator.of(breaker))
                .onErrorResume(e -> {
                    if (!(e instanceof CallNotPermittedException)) {
                        logFailure("store", e);
                    }
                    return Mono.just(false);
                });
    }

    /** A lookup not made (cache disabled, or the request is not eligible): counted as a bypass. */
    <T> CacheLookup<T> skipped() {
        lookups.get(CacheOutcome.BYPASS).increment();
        return CacheLookup.bypass();
    }

    private <T> CacheLookup<T> failed(Throwable e) {
        if (e instanceof CallNotPermittedException) {
            lookups.get(CacheOutcome.BYPASS).increment();
        } else {
            errors.increment();
            logFailure("lookup", e);
        }
        return CacheLookup.bypass();
    }

    private void logFailure(String what, Throwable e) {
        long now = System.nanoTime();
        long next = nextLogNanos.get();
        if (now - next >= 0 && nextLogNanos.compareAndSet(next, now + logIntervalNanos)) {
            log.warn("{} cache {} failed, bypassing the cache: {} (further failures within {} s are not logged)",
                    cache, what, e.toString(), logIntervalNanos / 1_000_000_000L);
        } else {
            log.debug("{} cache {} failed: {}", cache, what, e.toString());
        }
    }
}
