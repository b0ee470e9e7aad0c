package dev.dragon.cache.purge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dragon.cache.keys.CacheKeys;
import dev.dragon.cache.testing.CacheServiceTest;
import dev.dragon.cache.testing.CacheReplica;
import dev.dragon.cache.testing.CacheTestClient;
import dev.dragon.cache.testing.GrpcPort;
import dev.dragon.cache.testing.PurgeWatchClient;
import dev.dragon.cache.testing.RedisTestServer;
import dev.dragon.contracts.v1.CacheServiceGrpc;
import dev.dragon.contracts.v1.PurgeNotice;
import dev.dragon.contracts.v1.PurgeWatch;
import dev.dragon.contracts.v1.TenantRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.XAddArgs;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;

/**
 * WatchPurges against a real Redis: a flush reaches every watcher within a second, a watch resumes after an
 * id without gaps or duplicates (also while flushes keep coming), a watch after purges the log no longer
 * holds is RESET, a stuck watcher is ended without holding up the others, Redis going away leaves watches
 * open, and a second replica on the same Redis delivers the same purges (and ends its watches when it stops:
 * {@link CacheReplica}).
 */
@CacheServiceTest
class PurgeFeedIT {

    private static final Duration A_SECOND = Duration.ofSeconds(1);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Autowired ManagedChannel cacheChannel;
    @Autowired GrpcPort grpcPort;
    @Autowired CacheTestClient cache;
    @Autowired RedisTestServer redis;
    @Autowired CacheKeys keys;
    @Autowired PurgeLog purgeLog;
    @Autowired MeterRegistry meters;
    @LocalManagementPort int managementPort;

    @Test
    void flush_reachesEveryWatcher_withinASecond() throws Exception {
        double purgesBefore = notices("purge");
        List<PurgeWatchClient> watchers = List.of(watch(""), watch(""), watch(""));
        try {
            watchers.forEach(PurgeWatchClient::untilSubscribed);
            assertThat(meters.get("dragon.cache.purge.watchers").gauge().value()).isGreaterThanOrEqualTo(3);

            HttpResponse<String> flushed = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                    + managementPort + "/admin/tenants/fast-http/flush")).POST(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(flushed.statusCode()).isEqualTo(200);
            assertEveryWatcherGetsThePurgeWithinASecond(watchers, "fast-http");

            flush("fast-grpc");
            assertEveryWatcherGetsThePurgeWithinASecond(watchers, "fast-grpc");
            assertThat(notices("purge") - purgesBefore).isEqualTo(6);
        } finally {
            watchers.forEach(PurgeWatchClient::close);
        }
    }

    @Test
    void watchAfterAnId_replaysThePurgesSinceThen_thenLiveOnes() {
        try (PurgeWatchClient reference = watch("")) {
            reference.untilSubscribed();
            flush("replay-a");
            flush("replay-b");
            flush("replay-c");
            String a = reference.nextPurgeOf("replay-a", A_SECOND.multipliedBy(10)).getId();
            String b = reference.next(PurgeNotice.Kind.PURGE).getId();
            String c = reference.next(PurgeNotice.Kind.PURGE).getId();

            try (PurgeWatchClient resumed = watch(a)) {
                assertThat(resumed.untilSubscribed()).containsExactly(
                        notice(PurgeNotice.Kind.PURGE, b, "replay-b"), notice(PurgeNotice.Kind.PURGE, c, "replay-c"),
                        notice(PurgeNotice.Kind.SUBSCRIBED, c, ""));
                flush("replay-d");
                PurgeNotice live = resumed.next(PurgeNotice.Kind.PURGE);
                assertThat(live.getTenant()).isEqualTo("replay-d");
                assertThat(PurgeId.parse("id", live.getId()).isAfter(PurgeId.parse("id", c))).isTrue();
            }
        }
    }

    @Test
    void watchesOpenedWhileFlushesKeepComing_getEveryPurgeOnce_inOrder() {
        int flushes = 40;
        try (PurgeWatchClient reference = watch("")) {
            reference.untilSubscribed();
            CompletableFuture<Void> flushing = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < flushes; i++) {
                    flush("race-" + i);
                }
            });
            List<String> seen = new ArrayList<>();
            Map<String, PurgeWatchClient> resumedAfter = new LinkedHashMap<>();
            try {
                while (seen.size() < flushes) {
                    seen.add(reference.next(PurgeNotice.Kind.PURGE).getId());
                    if (seen.size() % 7 == 1) {
                        resumedAfter.put(seen.getLast(), watch(seen.getLast()));
                        sleep(ThreadLocalRandom.current().nextInt(20));
                    }
                }
                flushing.join();
                resumedAfter.forEach((after, resumed) -> {
                    List<String> purges = new ArrayList<>();
                    boolean subscribed = false;
                    while (purges.isEmpty() || !purges.getLast().equals(seen.getLast()) || !subscribed) {
                        PurgeNotice notice = resumed.next();
                        assertThat(notice.getKind()).isIn(PurgeNotice.Kind.PURGE, PurgeNotice.Kind.SUBSCRIBED);
                        if (notice.getKind() == PurgeNotice.Kind.SUBSCRIBED) {
                            assertThat(subscribed).as("a second SUBSCRIBED").isFalse();
                            subscribed = true;
                        } else {
                            purges.add(notice.getId());
                        }
                    }
                    assertThat(purges).as("purges of the watch after %s", after)
                            .isEqualTo(seen.subList(seen.indexOf(after) + 1, seen.size()));
                });
            } finally {
                resumedAfter.values().forEach(PurgeWatchClient::close);
            }
        }
    }

    @Test
    void watchAfterAnIdOlderThanTheRetention_isReset_onceAFlushHasTrimmedIt() {
        String log = keys.purges();
        long twoHoursAgo = System.currentTimeMillis() - Duration.ofHours(2).toMillis();
        PurgeId old = new PurgeId(twoHoursAgo, 0);
        PurgeId older = new PurgeId(twoHoursAgo - 1, 0);
        redis.commands().del(log);
        redis.commands().xadd(log, new XAddArgs().id(old.toString()), Map.of("tenant", "long-ago"));
        assertThat(purgeLog.holdsEverythingAfter(old).block()).as("an old id the log still holds").isTrue();
        assertThat(purgeLog.holdsEverythingAfter(older).block()).as("an id before the log's oldest").isFalse();

        try (PurgeWatchClient reference = watch("")) {
            reference.untilSubscribed();
            flush("after-the-retention");
            String fresh = reference.nextPurgeOf("after-the-retention", A_SECOND.multipliedBy(10)).getId();

            assertThat(redis.commands().xrange(log, Range.create("-", "+"))).as("the flush trimmed the old purge")
                    .singleElement().satisfies(m -> assertThat(m.getId()).isEqualTo(fresh));
            try (PurgeWatchClient resumed = watch(old.toString())) {
                assertThat(resumed.untilSubscribed()).containsExactly(notice(PurgeNotice.Kind.RESET, fresh, ""),
                        notice(PurgeNotice.Kind.SUBSCRIBED, fresh, ""));
            }
        }
        assertThat(notices("reset")).isPositive();
    }

    @Test
    void malformedAfterId_isInvalidArgument_andAnotherSchemaVersion_isFailedPrecondition() {
        var stub = CacheServiceGrpc.newBlockingStub(cacheChannel).withDeadlineAfter(10, TimeUnit.SECONDS);

        assertThatThrownBy(() -> stub.watchPurges(PurgeWatch.newBuilder().setSchemaVersion(1).setAfterId("12-x").build())
                .hasNext()).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).startsWith("after_id: ");
                });
        assertThatThrownBy(() -> stub.watchPurges(PurgeWatch.newBuilder().setSchemaVersion(2).build()).hasNext())
                .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
    }

    @Test
    void flush_whenThePurgeCannotBeLogged_fails_soThatTheCallerRetries() {
        try (PurgeWatchClient watcher = watch("")) {
            watcher.untilSubscribed();
            redis.commands().del(keys.purges());
            redis.commands().set(keys.purges(), "not a stream");
            try {
                assertThatThrownBy(() -> flush("unlogged")).isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
            } finally {
                redis.commands().del(keys.purges());
            }
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> flush("unlogged") >= 0);
            assertThat(watcher.nextPurgeOf("unlogged", Duration.ofSeconds(10))).isNotNull();
            assertThat(watcher.isOpen()).isTrue();
        }
    }

    @Test
    void slowWatcher_fallingTooFarBehind_isEndedWithResourceExhausted_andTheOthersGetEveryPurge() {
        int purges = 3000;
        ManagedChannel narrow = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort.value()).usePlaintext()
                .flowControlWindow(16 * 1024).build();
        try (PurgeWatchClient fast = watch(""); PurgeWatchClient stuck = PurgeWatchClient.paused(narrow, "")) {
            fast.untilSubscribed();
            stuck.next(PurgeNotice.Kind.SUBSCRIBED);
            double watchers = meters.get("dragon.cache.purge.watchers").gauge().value();

            String tenant = "x".repeat(56) + "-";
            redis.commands().eval("for i = 1, tonumber(ARGV[1]) do redis.call('XADD', KEYS[1], '*', 'tenant', "
                    + "ARGV[2] .. i) end return 1", ScriptOutputType.INTEGER, new String[] {keys.purges()},
                    Integer.toString(purges), tenant);

            for (int i = 1; i <= purges; i++) {
                assertThat(fast.next(PurgeNotice.Kind.PURGE).getTenant()).isEqualTo(tenant + i);
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    meters.get("dragon.cache.purge.watchers").gauge().value()).isLessThanOrEqualTo(watchers - 1));
            assertThat(fast.isOpen()).isTrue();
            stuck.resume();
            assertThat(stuck.awaitEnd(Duration.ofSeconds(30)).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(stuck.drained()).hasSizeLessThan(purges);
        } finally {
            narrow.shutdownNow();
        }
    }

    @Test
    void redisStoppedAndStarted_keepsTheWatchOpen_andDeliversTheNextPurge() {
        try (PurgeWatchClient watcher = watch("")) {
            watcher.untilSubscribed();

            redis.stop();
            awaitRedisUp(0);
            sleep(1000);   // some ten polls fail meanwhile
            assertThat(watcher.isOpen()).isTrue();
            redis.start();
            awaitRedisUp(1);

            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> flush("after-outage") >= 0);
            assertThat(watcher.nextPurgeOf("after-outage", Duration.ofSeconds(10))).isNotNull();
            assertThat(watcher.isOpen()).isTrue();
        }
    }

    @Test
    void twoCacheServiceReplicas_bothDeliverAFlushMadeOnOne_andAStoppingReplicaEndsItsWatches() {
        try (CacheReplica replica = CacheReplica.start(redis.port());
             PurgeWatchClient here = watch("");
             PurgeWatchClient there = PurgeWatchClient.watch(replica.channel(), "")) {
            here.untilSubscribed();
            there.untilSubscribed();

            replica.client().blocking().flush(TenantRequest.newBuilder().setSchemaVersion(1).setTenant("replicated")
                    .build());
            PurgeNotice onThisReplica = here.nextPurgeOf("replicated", A_SECOND);
            PurgeNotice onTheOther = there.nextPurgeOf("replicated", A_SECOND);
            assertThat(onTheOther.getId()).isEqualTo(onThisReplica.getId());

            flush("replicated-back");
            assertThat(there.nextPurgeOf("replicated-back", A_SECOND).getId())
                    .isEqualTo(here.nextPurgeOf("replicated-back", A_SECOND).getId());

            replica.stop();
            Status end = there.awaitEnd(Duration.ofSeconds(10));
            assertThat(end.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(end.getDescription()).contains("shutting down");
            assertThat(here.isOpen()).isTrue();
        }
    }

    private PurgeWatchClient watch(String afterId) {
        return PurgeWatchClient.watch(cacheChannel, afterId);
    }

    private long flush(String tenant) {
        return cache.blocking().flush(TenantRequest.newBuilder().setSchemaVersion(1).setTenant(tenant).build())
                .getDeletedKeys();
    }

    private static void assertEveryWatcherGetsThePurgeWithinASecond(List<PurgeWatchClient> watchers, String tenant) {
        long flushed = System.nanoTime();
        for (PurgeWatchClient watcher : watchers) {
            Duration left = A_SECOND.minusNanos(System.nanoTime() - flushed);
            assertThat(watcher.nextPurgeOf(tenant, left).getTenant()).isEqualTo(tenant);
        }
    }

    private static PurgeNotice notice(PurgeNotice.Kind kind, String id, String tenant) {
        return PurgeNotice.newBuilder().setSchemaVersion(1).setKind(kind).setId(id).setTenant(tenant).build();
    }

    private double notices(String kind) {
        return meters.get("dragon.cache.purge.notices").tag("kind", kind).counter().count();
    }

    private void awaitRedisUp(double value) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(meters.get("dragon.cache.redis.up").gauge().value()).isEqualTo(value));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
