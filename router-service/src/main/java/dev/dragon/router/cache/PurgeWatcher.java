package dev.dragon.router.cache;

import dev.dragon.contracts.v1.CacheServiceGrpc;
import dev.dragon.contracts.v1.PurgeNotice;
import dev.dragon.contracts.v1.PurgeWatch;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one {@code WatchPurges} stream open on cache-service and applies what it says to the
 * {@link NearResponseCache}: a PURGE drops the tenant's entries, a RESET drops all, SUBSCRIBED (sent once the
 * replay of what this router missed is done) turns serving on. When the stream breaks, serving stops at once
 * (a purge could happen on another cache-service replica meanwhile) and the watch is opened again after
 * {@code rewatch-delay}, resuming after the last purge id seen, so entries survive a cache-service restart.
 */
public final class PurgeWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PurgeWatcher.class);
    static final int SCHEMA_VERSION = 1;

    private final Channel channel;
    private final NearResponseCache<?> near;
    private final Duration rewatchDelay;
    private final ScheduledExecutorService timer;
    private final Object lock = new Object();
    private String lastId = "";                            // guarded by lock
    private ClientCallStreamObserver<PurgeWatch> call;     // guarded by lock
    private boolean closed;                                // guarded by lock
    private boolean loggedDown;                            // guarded by lock

    public PurgeWatcher(Channel channel, NearResponseCache<?> near, Duration rewatchDelay) {
        this.channel = channel;
        this.near = near;
        this.rewatchDelay = rewatchDelay;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("near-cache-watch").unstarted(r));
    }

    /** Opens the watch (no-op when the near cache is disabled). */
    public void start() {
        if (near.enabled()) {
            timer.execute(this::watch);
        }
    }

    /** The id of the last purge applied ("" before the first). */
    public String lastId() {
        synchronized (lock) {
            return lastId;
        }
    }

    private void watch() {
        PurgeWatch request;
        synchronized (lock) {
            if (closed) {
                return;
            }
            request = PurgeWatch.newBuilder().setSchemaVersion(SCHEMA_VERSION).setAfterId(lastId).build();
        }
        CacheServiceGrpc.newStub(channel).watchPurges(request, new Observer());
    }

    private final class Observer implements ClientResponseObserver<PurgeWatch, PurgeNotice> {

        @Override
        public void beforeStart(ClientCallStreamObserver<PurgeWatch> requestStream) {
            synchronized (lock) {
                call = requestStream;
            }
        }

        @Override
        public void onNext(PurgeNotice notice) {
            switch (notice.getKind()) {
                case PURGE -> near.purge(notice.getTenant());
                case RESET -> near.reset();
                case SUBSCRIBED -> {
                    near.serving(true);
                    synchronized (lock) {
                        if (loggedDown) {
                            LOG.info("purge watch live again after {}: near cache serving", lastId);
                        }
                        loggedDown = false;
                    }
                }
                default -> LOG.debug("purge notice of an unknown kind ignored: {}", notice.getKind());
            }
            if (!notice.getId().isEmpty()) {
                synchronized (lock) {
                    lastId = notice.getId();
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            ended(Status.fromThrowable(t).toString());
        }

        @Override
        public void onCompleted() {
            ended("completed by cache-service");
        }

        private void ended(String why) {
            near.serving(false);
            synchronized (lock) {
                call = null;
                if (closed) {
                    return;
                }
                if (!loggedDown) {
                    LOG.warn("purge watch ended ({}): near cache not serving until it is watched again", why);
                    loggedDown = true;
                }
            }
            timer.schedule(PurgeWatcher.this::watch, rewatchDelay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        ClientCallStreamObserver<PurgeWatch> open;
        synchronized (lock) {
            closed = true;
            open = call;
        }
        near.serving(false);
        if (open != null) {
            open.cancel("router stopping", null);
        }
        timer.shutdownNow();
    }
}
