package dev.dragon.cache.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.contracts.v1.CacheServiceGrpc;
import dev.dragon.contracts.v1.PurgeNotice;
import dev.dragon.contracts.v1.PurgeWatch;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One WatchPurges stream, the way a router holds it: notices are collected as they arrive, and the test
 * takes them in order. {@link #paused} opens one that reads nothing until {@link #resume}, like a stuck
 * router (on a channel with a small flow-control window, the server soon sees it as not ready).
 */
public final class PurgeWatchClient implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<PurgeNotice> notices = new LinkedBlockingQueue<>();
    private final CompletableFuture<Status> end = new CompletableFuture<>();
    private final CompletableFuture<ClientCallStreamObserver<PurgeWatch>> call = new CompletableFuture<>();

    private PurgeWatchClient(Channel channel, String afterId, boolean paused) {
        PurgeWatch request = PurgeWatch.newBuilder().setSchemaVersion(1).setAfterId(afterId).build();
        CacheServiceGrpc.newStub(channel).watchPurges(request, new ClientResponseObserver<PurgeWatch, PurgeNotice>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<PurgeWatch> requests) {
                if (paused) {
                    requests.disableAutoRequestWithInitial(1);
                }
                call.complete(requests);
            }

            @Override
            public void onNext(PurgeNotice notice) {
                notices.add(notice);
            }

            @Override
            public void onError(Throwable t) {
                end.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                end.complete(Status.OK);
            }
        });
    }

    /** A watch from now on ({@code afterId} empty) or after {@code afterId}. */
    public static PurgeWatchClient watch(Channel channel, String afterId) {
        return new PurgeWatchClient(channel, afterId, false);
    }

    /** A watch that takes its first notice, then nothing until {@link #resume}. */
    public static PurgeWatchClient paused(Channel channel, String afterId) {
        return new PurgeWatchClient(channel, afterId, true);
    }

    public void resume() {
        call.join().request(Integer.MAX_VALUE);
    }

    /** The next notice, failing after a generous wait. */
    public PurgeNotice next() {
        return next(WAIT);
    }

    public PurgeNotice next(Duration wait) {
        try {
            PurgeNotice notice = notices.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
            assertThat(notice).as("a notice within %s (stream ended: %s)", wait, end.getNow(null)).isNotNull();
            return notice;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next notice; it must be of {@code kind}. */
    public PurgeNotice next(PurgeNotice.Kind kind) {
        PurgeNotice notice = next();
        assertThat(notice.getKind()).as("kind of %s", notice).isEqualTo(kind);
        return notice;
    }

    /** Everything up to and with SUBSCRIBED. */
    public List<PurgeNotice> untilSubscribed() {
        List<PurgeNotice> seen = new ArrayList<>();
        PurgeNotice notice;
        do {
            notice = next();
            seen.add(notice);
        } while (notice.getKind() != PurgeNotice.Kind.SUBSCRIBED);
        return seen;
    }

    /** The next PURGE of {@code tenant} (skipping other tenants' purges); returns it. */
    public PurgeNotice nextPurgeOf(String tenant, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            PurgeNotice notice = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (notice.getKind() == PurgeNotice.Kind.PURGE && notice.getTenant().equals(tenant)) {
                return notice;
            }
        }
    }

    /** Notices received and not taken yet. */
    public List<PurgeNotice> drained() {
        List<PurgeNotice> rest = new ArrayList<>();
        notices.drainTo(rest);
        return rest;
    }

    /** How the server ended the stream, waiting for it. */
    public Status awaitEnd(Duration wait) {
        return end.orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    public boolean isOpen() {
        return !end.isDone();
    }

    @Override
    public void close() {
        if (isOpen()) {
            call.join().cancel("test done", null);
        }
    }
}
