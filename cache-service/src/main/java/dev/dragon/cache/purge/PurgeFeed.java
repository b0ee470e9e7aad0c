package dev.dragon.cache.purge;

import dev.dragon.cache.config.CacheProperties;
import dev.dragon.cache.metrics.CacheMetrics;
import dev.dragon.cache.redis.PeriodicTask;
import dev.dragon.cache.redis.RateLimitedLog;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.grpc.server.lifecycle.GrpcServerShutdownEvent;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The one follower of the purge log in this process: every {@code purges.poll-interval} it reads the entries
 * after its position (XRANGE, {@code purges.batch} at a time, the next page at once while pages are full) and
 * fans each out to every {@link PurgeWatcher}. Polling, not a blocking XREAD, since the Lettuce connection is
 * shared by every call. It starts at the log's newest entry ({@code 0-0} for an empty log) once Redis first
 * answers. While Redis is away it just polls again (logged at most once per {@code redis.log-interval}); no
 * flush can happen then, so watches stay open and miss nothing. When the gRPC server starts shutting down it
 * ends every watch, so that routers watch another replica instead of waiting out the grace period.
 */
@Component
public class PurgeFeed implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PurgeFeed.class);

    private final PurgeLog purgeLog;
    private final CacheMetrics metrics;
    private final CacheProperties.Purges settings;
    private final PeriodicTask task;
    private final RateLimitedLog failures;
    private final Set<PurgeWatcher> watchers = ConcurrentHashMap.newKeySet();
    /** Held while starting a watcher and while fanning out: a watcher gets every purge after its start position. */
    private final Object lock = new Object();
    /** The newest entry fanned out (at first the log's newest); null until Redis first answered. */
    private volatile PurgeId position;
    private boolean closed;

    public PurgeFeed(PurgeLog purgeLog, CacheMetrics metrics, CacheProperties properties) {
        this.purgeLog = purgeLog;
        this.metrics = metrics;
        this.settings = properties.purges();
        this.task = new PeriodicTask(Duration.ZERO, settings.pollInterval(), this::poll);
        this.failures = new RateLimitedLog(log, properties.redis().logInterval());
    }

    /**
     * A new watch for {@code transport}: the purges after {@code afterId} (null: from now on), then live ones.
     * The watcher starts at once, or when Redis first answers; on a closing feed it ends at once.
     */
    public PurgeWatcher open(PurgeId afterId, PurgeTransport transport) {
        PurgeWatcher watcher = new PurgeWatcher(purgeLog, metrics, settings, afterId, transport, this::closed);
        synchronized (lock) {
            if (closed) {
                watcher.shutdown();
                return watcher;
            }
            watchers.add(watcher);
            metrics.purgeWatchers(watchers.size());
            PurgeId now = position;
            if (now != null) {
                watcher.start(now);
            }
        }
        return watcher;
    }

    /** The watcher ended or its client went away. */
    private void closed(PurgeWatcher watcher) {
        if (watchers.remove(watcher)) {
            metrics.purgeWatchers(watchers.size());
        }
    }

    /** One poll: fans out every entry after the position. */
    private Mono<Void> poll() {
        return Mono.defer(() -> {
                    PurgeId from = position;
                    return from != null ? Mono.just(from) : purgeLog.last().defaultIfEmpty(PurgeId.ZERO).map(this::begin);
                })
                .flatMap(this::fanOutAfter)
                .onErrorResume(e -> {
                    failures.warn("Purge feed cannot read the purge log (" + e.getMessage()
                            + "); purge watches stay open and catch up when it answers");
                    return Mono.empty();
                });
    }

    private PurgeId begin(PurgeId start) {
        synchronized (lock) {
            position = start;
            watchers.forEach(w -> w.start(start));
        }
        log.info("Purge feed follows the purge log from {}", start);
        return start;
    }

    private Mono<Void> fanOutAfter(PurgeId from) {
        return purgeLog.after(from, null, settings.batch()).flatMap(page -> {
            synchronized (lock) {
                for (PurgeEntry purge : page) {
                    position = purge.id();
                    watchers.forEach(w -> w.deliver(purge));
                }
            }
            return page.size() < settings.batch() ? Mono.<Void>empty() : fanOutAfter(page.getLast().id());
        });
    }

    @EventListener(GrpcServerShutdownEvent.class)
    void grpcServerShuttingDown() {
        endWatches();
    }

    private void endWatches() {
        List<PurgeWatcher> ending;
        synchronized (lock) {
            closed = true;
            ending = List.copyOf(watchers);
            ending.forEach(PurgeWatcher::shutdown);
        }
        if (!ending.isEmpty()) {
            log.info("Ended {} purge watches: this replica is shutting down", ending.size());
        }
    }

    @Override
    public void start() {
        synchronized (lock) {
            closed = false;
        }
        task.start();
    }

    @Override
    public void stop() {
        task.stop();
        endWatches();
    }

    @Override
    public boolean isRunning() {
        return task.isRunning();
    }
}
