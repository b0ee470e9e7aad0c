package dev.dragon.cache.purge;

import dev.dragon.cache.config.CacheProperties;
import dev.dragon.cache.metrics.CacheMetrics;
import dev.dragon.contracts.v1.PurgeNotice;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;

/**
 * One watch of the {@link PurgeFeed}: which notices its client gets, in which order, and how fast.
 *
 * <p><b>Order.</b> The feed starts the watcher with its position {@code P} (the newest purge it has fanned
 * out) under the same lock as its fan-out, so every purge after {@code P} reaches the watcher live, and every
 * purge at or before {@code P} is in the log. With an {@code after_id} {@code A} before {@code P}, the
 * watcher replays {@code (A, P]} from the log page by page, holding live purges back meanwhile, or sends
 * RESET when the log no longer holds them (its oldest entry is after {@code A}, or it lost {@code P}). Then
 * SUBSCRIBED (caught up: live purges after its id follow), then the held and live purges. Ids only grow: a
 * purge at or before the last one queued is dropped, so nothing is sent twice, also when {@code A} is after
 * {@code P} (the client saw more on a replica whose feed is ahead).
 *
 * <p><b>Flow control.</b> Notices wait in a queue and go out while the transport is ready; a replay page is
 * read only when the queue has room for it. When queued and held notices exceed {@code watcherQueue}, the
 * watch ends ({@link PurgeWatchEndedException.Reason#FELL_BEHIND}): a slow client never holds up the feed or
 * another watch, and watches again from the last id it saw.
 *
 * <p><b>Threads.</b> Every method holds this watcher's monitor. The feed calls {@link #start},
 * {@link #deliver} and {@link #shutdown} under its own lock; a watcher never takes the feed's lock.
 */
public final class PurgeWatcher {

    private enum Phase { WAITING, REPLAYING, LIVE, ENDED }

    private final PurgeHistory history;
    private final CacheMetrics metrics;
    private final int batch;
    private final int watcherQueue;
    /** Null: from now on. */
    private final PurgeId afterId;
    private final PurgeTransport transport;
    /** Told once when the watch ends or its client goes away. */
    private final Consumer<PurgeWatcher> ended;
    private final ArrayDeque<PurgeNotice> queue = new ArrayDeque<>();
    /** Live purges that came while replaying. */
    private final List<PurgeEntry> held = new ArrayList<>();
    private final Disposable.Swap redisCall = Disposables.swap();
    private Phase phase = Phase.WAITING;
    /** The feed's position when this watcher started: replayed up to it, live after it. */
    private PurgeId position;
    private PurgeId lastQueued;
    /** Replay: the last entry read. */
    private PurgeId cursor;
    private boolean waitingForRoom;

    PurgeWatcher(PurgeHistory history, CacheMetrics metrics, CacheProperties.Purges settings, PurgeId afterId,
                 PurgeTransport transport, Consumer<PurgeWatcher> ended) {
        this.history = history;
        this.metrics = metrics;
        this.batch = settings.batch();
        this.watcherQueue = settings.watcherQueue();
        this.afterId = afterId;
        this.transport = transport;
        this.ended = ended;
    }

    /** Called once by the feed, with its position, before any {@link #deliver}. */
    synchronized void start(PurgeId feedPosition) {
        if (phase != Phase.WAITING) {
            return;
        }
        position = feedPosition;
        if (afterId == null || !position.isAfter(afterId)) {
            lastQueued = afterId == null ? position : afterId;
            goLive();
            return;
        }
        phase = Phase.REPLAYING;
        lastQueued = afterId;
        cursor = afterId;
        call(history.holdsEverythingAfter(afterId), holds -> {
            if (holds) {
                nextPage();
            } else {
                reset();
            }
        });
    }

    /** A purge after the feed's position, in id order. */
    synchronized void deliver(PurgeEntry purge) {
        switch (phase) {
            case ENDED -> { }
            case LIVE -> {
                enqueue(purge);
                drain();
            }
            default -> {
                held.add(purge);
                checkBacklog();
            }
        }
    }

    /** The feed is closing: ends the watch so that the client watches another replica. */
    synchronized void shutdown() {
        end(new PurgeWatchEndedException(PurgeWatchEndedException.Reason.SHUTTING_DOWN,
                "cache-service is shutting down: watch again (another replica) after the last id seen"));
    }

    /** Sends what is queued while the transport is ready; the transport calls it again when it is. */
    public synchronized void drain() {
        while (phase != Phase.ENDED && !queue.isEmpty() && transport.isReady()) {
            PurgeNotice notice = queue.poll();
            transport.send(notice);
            metrics.purgeNotice(notice.getKind());
        }
        if (waitingForRoom && phase == Phase.REPLAYING) {
            nextPage();
        }
    }

    /** The client went away (cancelled, deadline, disconnected): stop, with nothing more to send. */
    public synchronized void cancel() {
        if (phase != Phase.ENDED) {
            phase = Phase.ENDED;
            release();
        }
    }

    private void nextPage() {
        // held purges cannot leave before the replay ends: wait only for the queue to drain
        waitingForRoom = !queue.isEmpty() && queue.size() + held.size() + batch > watcherQueue;
        if (waitingForRoom) {
            return;
        }
        call(history.after(cursor, position, batch), page -> {
            page.forEach(this::enqueue);
            if (phase == Phase.ENDED) {
                return;
            }
            if (!page.isEmpty()) {
                cursor = page.getLast().id();
            }
            if (cursor.equals(position)) {
                // read up to the feed's position: make sure no trim cut into (afterId, position] meanwhile
                call(history.holdsEverythingAfter(afterId), holds -> {
                    if (holds) {
                        goLive();
                    } else {
                        reset();
                    }
                });
            } else if (page.size() == batch) {
                nextPage();
            } else {
                reset();   // the log lost the feed's position (Redis lost its data)
            }
            drain();
        });
    }

    /** Purges after afterId may be missed: RESET up to the feed's position, then live. */
    private void reset() {
        lastQueued = PurgeId.max(lastQueued, position);
        queue.add(notice(PurgeNotice.Kind.RESET, lastQueued, null));
        goLive();
    }

    private void goLive() {
        phase = Phase.LIVE;
        queue.add(notice(PurgeNotice.Kind.SUBSCRIBED, lastQueued, null));
        List<PurgeEntry> live = List.copyOf(held);
        held.clear();
        live.forEach(this::enqueue);
        drain();
    }

    private void enqueue(PurgeEntry purge) {
        if (phase == Phase.ENDED || !purge.id().isAfter(lastQueued)) {
            return;
        }
        lastQueued = purge.id();
        queue.add(purge.tenant() == null ? notice(PurgeNotice.Kind.RESET, purge.id(), null)
                : notice(PurgeNotice.Kind.PURGE, purge.id(), purge.tenant()));
        checkBacklog();
    }

    private void checkBacklog() {
        int waiting = queue.size() + held.size();
        if (waiting > watcherQueue) {
            end(new PurgeWatchEndedException(PurgeWatchEndedException.Reason.FELL_BEHIND, "more than " + watcherQueue
                    + " purge notices waited for this watcher: watch again after the last id seen"));
        }
    }

    /** Runs one Redis call; its result is handled under the monitor unless the watch ended meanwhile. */
    private <T> void call(Mono<T> redis, Consumer<T> then) {
        redisCall.replace(redis.subscribe(value -> {
            synchronized (this) {
                if (phase != Phase.ENDED) {
                    then.accept(value);
                }
            }
        }, this::fail));
    }

    private synchronized void fail(Throwable redisFailure) {
        end(redisFailure);
    }

    private void end(Throwable why) {
        if (phase == Phase.ENDED) {
            return;
        }
        phase = Phase.ENDED;
        release();
        transport.end(why);
    }

    private void release() {
        queue.clear();
        held.clear();
        redisCall.dispose();
        ended.accept(this);
    }

    private static PurgeNotice notice(PurgeNotice.Kind kind, PurgeId id, String tenant) {
        PurgeNotice.Builder notice = PurgeNotice.newBuilder().setSchemaVersion(1).setKind(kind).setId(id.toString());
        if (tenant != null) {
            notice.setTenant(tenant);
        }
        return notice.build();
    }
}
