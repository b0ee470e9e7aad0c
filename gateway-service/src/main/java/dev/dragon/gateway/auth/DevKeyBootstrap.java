package dev.dragon.gateway.auth;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.Ordered;
import reactor.core.Disposable;
import reactor.util.retry.Retry;

/**
 * Stores {@code dragon.gateway.bootstrap.dev-key} (hashed) for its tenant at startup, so a local platform has a
 * working key without calling the admin API. Keeps trying in the background while Redis is not up yet; a key
 * already known (for instance revoked) is left as it is.
 */
public final class DevKeyBootstrap implements ApplicationRunner, DisposableBean, Ordered {

    private static final Logger log = LoggerFactory.getLogger(DevKeyBootstrap.class);

    private final KeyStore store;
    private final String key;
    private final String tenant;
    private final TenantPlan plan;
    private volatile Disposable storing;

    public DevKeyBootstrap(KeyStore store, String key, String tenant, TenantPlan plan) {
        this.store = store;
        this.key = key;
        this.tenant = tenant;
        this.plan = plan;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (key.isBlank()) {
            return;
        }
        storing = store.ensureTenant(tenant, plan)
                .then(store.bootstrap(key, tenant))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(500)).maxBackoff(Duration.ofSeconds(10))
                        .doBeforeRetry(s -> log.warn("bootstrap key not stored yet: {}", s.failure().toString())))
                .subscribe(added -> log.info("bootstrap key for tenant {} {}", tenant,
                        added ? "stored" : "already known"));
    }

    /** First among the runners: it only starts storing, and must not wait behind the warm-up. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public void destroy() {
        Disposable running = storing;
        if (running != null) {
            running.dispose();
        }
    }
}
