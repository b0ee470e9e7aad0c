package dev.dragon.gateway.auth;

import dev.dragon.gateway.error.AuthenticationFailedException;
import dev.dragon.gateway.error.AuthenticationFailedException.Reason;
import dev.dragon.gateway.error.FaultLog;
import dev.dragon.gateway.error.UpstreamUnavailableException;
import dev.dragon.support.logging.RequestMdc;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Turns an {@code Authorization} header into an {@link Authenticated} tenant. Keys and plans come from
 * {@link KeyStore} and are cached per replica for {@code ttl}; while Redis is unreachable a key that was seen
 * before keeps working with its last known plan for at most {@code maxStale} past its ttl (so a key revoked
 * during an outage stops working within {@code ttl + maxStale}); unknown keys are refused: no key is accepted
 * unchecked. A key that cannot have been issued (too long, not printable ASCII) is refused before it is hashed,
 * and a key Redis does not know is remembered as unknown for {@code ttl}, so neither costs a Redis read.
 */
public final class Authenticator {

    private static final String BEARER = "Bearer ";

    /** Longer keys, or keys with characters outside printable ASCII, are refused before hashing. */
    static final int MAX_KEY_LENGTH = 200;

    private final KeyStore store;
    private final ApiKeyHasher hasher;
    private final TenantPlan defaultPlan;
    private final Duration ttl;
    private final Duration maxStale;
    private final Duration redisTimeout;
    private final int maxEntries;
    private final Clock clock;
    private final FaultLog faults = new FaultLog(LoggerFactory.getLogger(Authenticator.class));
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    /** Hashes Redis said no key has, until when: a repeated wrong key costs neither a Redis read nor a slot. */
    private final Map<String, Long> unknown = new ConcurrentHashMap<>();

    public Authenticator(KeyStore store, ApiKeyHasher hasher, TenantPlan defaultPlan, Duration ttl, Duration maxStale,
                         Duration redisTimeout, int maxEntries, Clock clock) {
        this.store = store;
        this.hasher = hasher;
        this.defaultPlan = defaultPlan;
        this.ttl = ttl;
        this.maxStale = maxStale;
        this.redisTimeout = redisTimeout;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    private record Cached(Authenticated auth, long expiresAt) {
    }

    /** The presented key, or null when the header is absent or not a bearer token. */
    public static String bearerKey(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String key = authorization.substring(BEARER.length()).trim();
        return key.isEmpty() ? null : key;
    }

    public Mono<Authenticated> authenticate(String authorization) {
        String key = bearerKey(authorization);
        if (key == null) {
            return Mono.error(new AuthenticationFailedException(Reason.MISSING));
        }
        if (!wellFormed(key)) {
            return Mono.error(new AuthenticationFailedException(Reason.MALFORMED));
        }
        String hash = hasher.hash(key);
        long now = clock.millis();
        Cached cached = cache.get(hash);
        if (cached != null && cached.expiresAt > now) {
            return Mono.just(cached.auth);
        }
        Long unknownUntil = unknown.get(hash);
        if (unknownUntil != null) {
            if (unknownUntil > now) {
                return Mono.error(new AuthenticationFailedException(Reason.UNKNOWN));
            }
            unknown.remove(hash, unknownUntil);
        }
        return lookup(hash)
                .timeout(redisTimeout)
                .onErrorResume(e -> !(e instanceof AuthenticationFailedException),
                        e -> Mono.deferContextual(ctx -> RequestMdc.call(ctx, () -> degraded(cached, e))));
    }

    private Mono<Authenticated> lookup(String hash) {
        return store.findByHash(hash)
                .switchIfEmpty(Mono.error(() -> {
                    if (unknown.size() >= maxEntries) {
                        unknown.clear();
                    }
                    unknown.put(hash, clock.millis() + ttl.toMillis());
                    return new AuthenticationFailedException(Reason.UNKNOWN);
                }))
                .flatMap(record -> {
                    if (record.revoked()) {
                        cache.remove(hash);
                        return Mono.error(new AuthenticationFailedException(Reason.REVOKED));
                    }
                    return store.plan(record.tenant())
                            .defaultIfEmpty(defaultPlan)
                            .map(plan -> remember(hash, new Authenticated(record.tenant(), record.keyId(), plan)));
                });
    }

    /** Printable ASCII, at most {@link #MAX_KEY_LENGTH} characters: anything else was never issued. */
    static boolean wellFormed(String key) {
        if (key.length() > MAX_KEY_LENGTH) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c <= ' ' || c > '~') {
                return false;
            }
        }
        return true;
    }

    private Mono<Authenticated> degraded(Cached stale, Throwable cause) {
        if (stale != null && clock.millis() - stale.expiresAt <= maxStale.toMillis()) {
            faults.warn("key store unreachable ({}); key {} of tenant {} served from the local cache", cause.toString(),
                    stale.auth.keyId(), stale.auth.tenant());
            return Mono.just(stale.auth);
        }
        faults.warn("key store unreachable ({}); refusing a key this replica has not seen within {}", cause.toString(),
                ttl.plus(maxStale));
        return Mono.error(new UpstreamUnavailableException("The API key store is unavailable; retry shortly.",
                "auth_unavailable", cause));
    }

    private Authenticated remember(String hash, Authenticated auth) {
        if (cache.size() >= maxEntries) {
            cache.clear();
        }
        cache.put(hash, new Cached(auth, clock.millis() + ttl.toMillis()));
        return auth;
    }

    /** Forgets a key on this replica at once (revocation, rotation); other replicas follow within the ttl. */
    public void evictKey(String hash) {
        cache.remove(hash);
    }

    /** Forgets every cached key of a tenant (plan change). */
    public void evictTenant(String tenant) {
        cache.values().removeIf(c -> c.auth.tenant().equals(tenant));
    }
}
