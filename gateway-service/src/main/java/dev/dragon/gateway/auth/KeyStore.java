package dev.dragon.gateway.auth;

import dev.dragon.gateway.config.GatewayJson;
import java.time.Clock;
import java.util.Comparator;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * API keys, tenants and plans in Redis, shared by every gateway replica. Layout (prefix {@code p}):
 * <pre>
 *   p key:&lt;hmac&gt;          JSON {@link ApiKeyRecord}   (looked up on every uncached request)
 *   p keyid:&lt;keyId&gt;       the key's hmac             (admin operations by key id)
 *   p tenant:&lt;tenant&gt;     JSON {@link TenantPlan}
 *   p tenant-keys:&lt;tenant&gt; SET of key ids
 *   p tenants             SET of tenants
 * </pre>
 * The plain key is never written anywhere.
 */
public final class KeyStore {

    private final ReactiveStringRedisTemplate redis;
    private final ApiKeyHasher hasher;
    private final GatewayJson json;
    private final String prefix;
    private final Clock clock;

    public KeyStore(ReactiveStringRedisTemplate redis, ApiKeyHasher hasher, GatewayJson json, String prefix,
                    Clock clock) {
        this.redis = redis;
        this.hasher = hasher;
        this.json = json;
        this.prefix = prefix;
        this.clock = clock;
    }

    public Mono<ApiKeyRecord> findByHash(String hash) {
        return redis.opsForValue().get(prefix + "key:" + hash).map(v -> read(v, ApiKeyRecord.class));
    }

    public Mono<TenantPlan> plan(String tenant) {
        return redis.opsForValue().get(prefix + "tenant:" + tenant).map(v -> read(v, TenantPlan.class));
    }

    /** Sets (or replaces) a tenant's plan, creating the tenant. */
    public Mono<TenantPlan> setPlan(String tenant, TenantPlan plan) {
        return redis.opsForValue().set(prefix + "tenant:" + tenant, write(plan))
                .then(redis.opsForSet().add(prefix + "tenants", tenant))
                .thenReturn(plan);
    }

    /** Gives {@code tenant} {@code plan} unless it has one already; emits the plan in force. */
    public Mono<TenantPlan> ensureTenant(String tenant, TenantPlan plan) {
        return redis.opsForValue().setIfAbsent(prefix + "tenant:" + tenant, write(plan))
                .then(redis.opsForSet().add(prefix + "tenants", tenant))
                .then(plan(tenant))
                .defaultIfEmpty(plan);
    }

    public Flux<String> tenants() {
        return redis.opsForSet().members(prefix + "tenants").sort();
    }

    /** Creates a key for {@code tenant} (which must exist); the plain key is in the result only. */
    public Mono<IssuedKey> create(String tenant) {
        String keyId = hasher.newKeyId();
        String key = hasher.newKey(keyId);
        ApiKeyRecord record = new ApiKeyRecord(keyId, tenant, clock.millis(), null);
        return store(hasher.hash(key), record)
                .flatMap(stored -> stored ? Mono.just(new IssuedKey(key, record)) : create(tenant));
    }

    /**
     * Stores a configured key (development bootstrap) unless it is already known, so a key revoked through
     * the admin API stays revoked across restarts. Emits whether it was added.
     */
    public Mono<Boolean> bootstrap(String key, String tenant) {
        return store(hasher.hash(key), new ApiKeyRecord(hasher.bootstrapKeyId(key), tenant, clock.millis(), null));
    }

    public Flux<ApiKeyRecord> keys(String tenant) {
        return redis.opsForSet().members(prefix + "tenant-keys:" + tenant)
                .flatMap(this::findById)
                .sort(Comparator.comparingLong(ApiKeyRecord::createdAt).thenComparing(ApiKeyRecord::keyId));
    }

    public Mono<ApiKeyRecord> findById(String keyId) {
        return hashOf(keyId).flatMap(this::findByHash);
    }

    /** Revokes a key; emits the revoked record, or nothing for an unknown key id. */
    public Mono<ApiKeyRecord> revoke(String keyId) {
        return hashOf(keyId).flatMap(hash -> findByHash(hash).flatMap(record -> {
            ApiKeyRecord revoked = record.revoke(clock.millis());
            return redis.opsForValue().set(prefix + "key:" + hash, write(revoked)).thenReturn(revoked);
        }));
    }

    /** Issues a new key for the tenant of {@code keyId}, then revokes the old one; nothing for an unknown id. */
    public Mono<IssuedKey> rotate(String keyId) {
        return findById(keyId).flatMap(old -> create(old.tenant()).flatMap(fresh -> revoke(keyId).thenReturn(fresh)));
    }

    /** The hash a key id stands for: lets the caller drop cached authentications of that key. */
    public Mono<String> hashOf(String keyId) {
        return redis.opsForValue().get(prefix + "keyid:" + keyId);
    }

    private Mono<Boolean> store(String hash, ApiKeyRecord record) {
        return redis.opsForValue().setIfAbsent(prefix + "keyid:" + record.keyId(), hash)
                .flatMap(fresh -> !fresh ? Mono.just(false)
                        : redis.opsForValue().set(prefix + "key:" + hash, write(record))
                                .then(redis.opsForSet().add(prefix + "tenant-keys:" + record.tenant(), record.keyId()))
                                .thenReturn(true));
    }

    private <T> T read(String value, Class<T> type) {
        return json.mapper().readValue(value, type);
    }

    private String write(Object value) {
        return json.mapper().writeValueAsString(value);
    }
}
