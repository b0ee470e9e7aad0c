package dev.dragon.cache.purge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.cache.config.CacheProperties;
import dev.dragon.cache.error.CacheUnavailableException;
import dev.dragon.cache.metrics.CacheMetrics;
import dev.dragon.contracts.v1.PurgeNotice;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The order of a watch's notices, step by step: each read of the log waits until the test answers it, so the
 * interleavings of replay and live purges that a real Redis makes rare are played here on purpose.
 */
class PurgeWatcherTest {

    private final FakeHistory history = new FakeHistory();
    private final FakeTransport transport = new FakeTransport();
    private final List<PurgeWatcher> ended = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private PurgeWatcher watcher(Long afterMillis, int batch, int watcherQueue) {
        CacheProperties.Purges settings = new CacheProperties.Purges(Duration.ofMillis(100), Duration.ofHours(1), batch,
                watcherQueue);
        return new PurgeWatcher(history, new CacheMetrics(registry), settings, afterMillis == null ? null : id(afterMillis),
                transport, ended::add);
    }

    @Test
    void fromNow_subscribesAtTheFeedsPosition_thenSendsLivePurges() {
        PurgeWatcher watcher = watcher(null, 10, 100);

        watcher.start(id(5));
        watcher.deliver(purge(6));

        assertThat(transport.sent).containsExactly("SUBSCRIBED 5", "PURGE 6 t6");
        assertThat(history.calls).isEmpty();
        assertThat(registry.get("dragon.cache.purge.notices").tag("kind", "purge").counter().count()).isEqualTo(1);
    }

    @Test
    void afterAnId_replaysPageByPage_holdingLivePurgesBack_thenSubscribes_thenTheHeldOnes() {
        PurgeWatcher watcher = watcher(1L, 2, 100);
        watcher.start(id(5));

        history.answer("holds 1-0", true);
        watcher.deliver(purge(6));
        history.answer("after 1-0 to 5-0", List.of(purge(2), purge(3)));
        watcher.deliver(purge(7));
        history.answer("after 3-0 to 5-0", List.of(purge(4), purge(5)));
        history.answer("holds 1-0", true);
        watcher.deliver(purge(8));

        assertThat(transport.sent).containsExactly("PURGE 2 t2", "PURGE 3 t3", "PURGE 4 t4", "PURGE 5 t5",
                "SUBSCRIBED 5", "PURGE 6 t6", "PURGE 7 t7", "PURGE 8 t8");
    }

    @Test
    void afterAnIdBeyondTheFeedsPosition_subscribesThere_andDropsWhatItHasSeen() {
        PurgeWatcher watcher = watcher(7L, 10, 100);

        watcher.start(id(5));
        watcher.deliver(purge(6));
        watcher.deliver(purge(7));
        watcher.deliver(purge(8));

        assertThat(transport.sent).containsExactly("SUBSCRIBED 7", "PURGE 8 t8");
        assertThat(history.calls).isEmpty();
    }

    @Test
    void afterAnIdTheLogNoLongerHolds_isResetToTheFeedsPosition() {
        PurgeWatcher watcher = watcher(1L, 10, 100);
        watcher.start(id(5));
        watcher.deliver(purge(6));

        history.answer("holds 1-0", false);

        assertThat(transport.sent).containsExactly("RESET 5", "SUBSCRIBED 5", "PURGE 6 t6");
        assertThat(history.calls).isEmpty();
    }

    @Test
    void aLogThatLostTheFeedsPosition_isReset() {
        PurgeWatcher watcher = watcher(1L, 10, 100);
        watcher.start(id(5));

        history.answer("holds 1-0", true);
        history.answer("after 1-0 to 5-0", List.of(purge(2)));

        assertThat(transport.sent).containsExactly("PURGE 2 t2", "RESET 5", "SUBSCRIBED 5");
    }

    @Test
    void aTrimDuringTheReplay_resetsAfterTheReplayedPurges() {
        PurgeWatcher watcher = watcher(1L, 10, 100);
        watcher.start(id(3));

        history.answer("holds 1-0", true);
        history.answer("after 1-0 to 3-0", List.of(purge(2), purge(3)));
        history.answer("holds 1-0", false);

        assertThat(transport.sent).containsExactly("PURGE 2 t2", "PURGE 3 t3", "RESET 3", "SUBSCRIBED 3");
    }

    @Test
    void aLogEntryWithoutTenant_isSentAsReset() {
        PurgeWatcher watcher = watcher(null, 10, 100);

        watcher.start(id(5));
        watcher.deliver(new PurgeEntry(id(6), null));

        assertThat(transport.sent).containsExactly("SUBSCRIBED 5", "RESET 6");
    }

    @Test
    void aClientThatIsNotReady_getsItsNoticesWhenItIs_andTheReplayWaitsForRoom() {
        PurgeWatcher watcher = watcher(0L, 2, 3);
        transport.ready = false;
        watcher.start(id(6));

        history.answer("holds 0-0", true);
        history.answer("after 0-0 to 6-0", List.of(purge(1), purge(2)));
        assertThat(history.calls).as("no room for another page").isEmpty();

        transport.ready = true;
        watcher.drain();
        assertThat(transport.sent).containsExactly("PURGE 1 t1", "PURGE 2 t2");
        history.answer("after 2-0 to 6-0", List.of(purge(3), purge(4)));
        history.answer("after 4-0 to 6-0", List.of(purge(5), purge(6)));
        history.answer("holds 0-0", true);

        assertThat(transport.sent).hasSize(7).endsWith("PURGE 6 t6", "SUBSCRIBED 6");
        assertThat(transport.end).isNull();
    }

    @Test
    void aWatcherTooFarBehind_isEnded_fellBehind() {
        PurgeWatcher watcher = watcher(null, 2, 3);
        watcher.start(id(0));
        transport.ready = false;

        LongStream.rangeClosed(1, 4).forEach(i -> watcher.deliver(purge(i)));

        assertThat(transport.end).isInstanceOfSatisfying(PurgeWatchEndedException.class,
                e -> assertThat(e.reason()).isEqualTo(PurgeWatchEndedException.Reason.FELL_BEHIND));
        assertThat(ended).containsExactly(watcher);
        transport.ready = true;
        watcher.deliver(purge(4));
        watcher.drain();
        assertThat(transport.sent).containsExactly("SUBSCRIBED 0");
    }

    @Test
    void heldPurgesCount_towardsTheLimit() {
        PurgeWatcher watcher = watcher(0L, 2, 3);
        watcher.start(id(1));

        LongStream.rangeClosed(2, 5).forEach(i -> watcher.deliver(purge(i)));

        assertThat(transport.end).isInstanceOf(PurgeWatchEndedException.class);
    }

    @Test
    void redisFailingDuringTheReplay_endsTheWatchWithTheFailure() {
        PurgeWatcher watcher = watcher(1L, 10, 100);
        watcher.start(id(5));

        history.fail(new CacheUnavailableException("Redis unavailable (purge_first: down)", null));

        assertThat(transport.end).isInstanceOf(CacheUnavailableException.class);
        assertThat(ended).containsExactly(watcher);
    }

    @Test
    void shutdown_endsTheWatch_andACancelledOneSendsNothingMore() {
        PurgeWatcher stopping = watcher(null, 10, 100);
        stopping.start(id(1));
        stopping.shutdown();
        assertThat(transport.end).isInstanceOfSatisfying(PurgeWatchEndedException.class,
                e -> assertThat(e.reason()).isEqualTo(PurgeWatchEndedException.Reason.SHUTTING_DOWN));

        FakeTransport other = new FakeTransport();
        PurgeWatcher cancelled = new PurgeWatcher(history, new CacheMetrics(registry), new CacheProperties.Purges(
                Duration.ofMillis(100), Duration.ofHours(1), 10, 100), null, other, ended::add);
        cancelled.start(id(1));
        cancelled.cancel();
        cancelled.deliver(purge(2));
        assertThat(other.sent).containsExactly("SUBSCRIBED 1");
        assertThat(other.end).isNull();
        assertThat(ended).containsExactly(stopping, cancelled);
    }

    private static PurgeId id(long millis) {
        return new PurgeId(millis, 0);
    }

    private static PurgeEntry purge(long millis) {
        return new PurgeEntry(id(millis), "t" + millis);
    }

    /** Each read waits in {@link #calls} until the test answers it. */
    private static final class FakeHistory implements PurgeHistory {

        record Call(String what, Sinks.One<Object> reply) {
        }

        final Queue<Call> calls = new ArrayDeque<>();

        @Override
        public Mono<Boolean> holdsEverythingAfter(PurgeId id) {
            return call("holds " + id).cast(Boolean.class);
        }

        @Override
        public Mono<List<PurgeEntry>> after(PurgeId from, PurgeId to, int count) {
            return call("after " + from + " to " + to).map(v -> {
                @SuppressWarnings("unchecked")
                List<PurgeEntry> page = (List<PurgeEntry>) v;
                return page;
            });
        }

        private Mono<Object> call(String what) {
            Sinks.One<Object> reply = Sinks.one();
            calls.add(new Call(what, reply));
            return reply.asMono();
        }

        void answer(String expected, Object value) {
            Call call = calls.poll();
            assertThat(call).as("a pending read").isNotNull();
            assertThat(call.what()).isEqualTo(expected);
            call.reply().tryEmitValue(value).orThrow();
        }

        void fail(Throwable e) {
            calls.remove().reply().tryEmitError(e).orThrow();
        }
    }

    private static final class FakeTransport implements PurgeTransport {

        final List<String> sent = new ArrayList<>();
        boolean ready = true;
        Throwable end;

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public void send(PurgeNotice notice) {
            String millis = notice.getId().substring(0, notice.getId().indexOf('-'));   // the tests use sequence 0
            sent.add(notice.getKind() + " " + millis + (notice.getTenant().isEmpty() ? "" : " " + notice.getTenant()));
        }

        @Override
        public void end(Throwable why) {
            end = why;
        }
    }
}
