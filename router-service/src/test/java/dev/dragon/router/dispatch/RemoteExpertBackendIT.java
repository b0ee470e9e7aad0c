package dev.dragon.router.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.dragon.core.expert.ExpertBatch;
import dev.dragon.core.expert.ExpertResult;
import dev.dragon.core.tensor.Fp16;
import dev.dragon.core.tensor.TensorCodec.Precision;
import dev.dragon.router.discovery.ReplicaEndpoint;
import dev.dragon.router.discovery.StaticExpertDiscovery;
import io.grpc.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * RemoteExpertBackend against real gRPC servers on loopback computing with the shipped bundle's experts:
 * exact results, one call per group in parallel, least-outstanding replica choice, failover on a killed,
 * failing or slow replica, and failures reported only for the experts of a group that cannot answer.
 */
class RemoteExpertBackendIT {

    private static final RemoteExpertBackend.Settings FP32 = new RemoteExpertBackend.Settings(Precision.FP32,
            Duration.ofSeconds(20), Duration.ofSeconds(60), 2);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final StaticExpertDiscovery discovery = new StaticExpertDiscovery(Set.of("g0", "g1"), Map.of());
    private final List<AutoCloseable> closing = new ArrayList<>();

    /** Channels on one shared loop with a layer's calls started on it, as the router runs them. */
    private static final DispatchLoop LOOP = new DispatchLoop();

    @AfterAll
    static void closeLoop() {
        LOOP.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    @Test
    void dispatch_equalsLocalExpertBackend_fp32_forEveryLayer() throws Exception {
        use("g0", server("g0"));
        use("g1", server("g1"));
        RemoteExpertBackend backend = backend(FP32);

        for (int layer = 0; layer < ShippedExperts.bundle().architecture().nLayers(); layer++) {
            ExpertBatch batch = Batches.allExperts(layer, layer);
            ExpertResult remote = backend.submit(batch).get(60, TimeUnit.SECONDS);

            assertThat(remote.failures()).isEmpty();
            assertThat(remote.output()).as("layer %d", layer).containsExactly(Batches.reference(batch).output());
        }
    }

    @Test
    void dispatch_fp16_isWithinHalfPrecisionOfLocal() throws Exception {
        use("g0", server("g0"));
        use("g1", server("g1"));
        RemoteExpertBackend backend = backend(new RemoteExpertBackend.Settings(Precision.FP16,
                Duration.ofSeconds(20), Duration.ofSeconds(60), 2));
        ExpertBatch batch = Batches.allExperts(5, 1);

        ExpertResult remote = backend.submit(batch).get(60, TimeUnit.SECONDS);

        float[] want = Batches.reference(batch).output();
        assertThat(remote.failures()).isEmpty();
        int worst = 0;
        double worstExcess = Double.NEGATIVE_INFINITY;       // error beyond the half-precision allowance
        for (int i = 0; i < want.length; i++) {
            double allowed = 4 * Fp16.ulp(want[i]) + 2e-2 * Math.abs(want[i]) + 2e-3;
            double excess = Math.abs(remote.output()[i] - want[i]) - allowed;
            if (excess > worstExcess) {
                worst = i;
                worstExcess = excess;
            }
        }
        float tolerance = 4 * Fp16.ulp(want[worst]) + 2e-2f * Math.abs(want[worst]) + 2e-3f;
        assertThat(remote.output()[worst]).as("element %d, the furthest off", worst)
                .isCloseTo(want[worst], within(tolerance));
        assertThat(remote.output()).as("fp16 is not exact").isNotEqualTo(want);
    }

    @Test
    void dispatch_callsEveryGroupOnce_andInParallel() throws Exception {
        ExpertGroupServer g0 = use("g0", server("g0"));
        ExpertGroupServer g1 = use("g1", server("g1"));
        RemoteExpertBackend backend = backend(FP32);
        g0.hold();

        CompletableFuture<ExpertResult> pending = backend.submit(Batches.allExperts(7, 2));

        await().atMost(Duration.ofSeconds(30)).until(() -> g1.calls() == 1 && g0.inFlight() == 1);
        assertThat(pending).isNotDone();                       // g1 answered while g0's call is still held
        g0.release();
        assertThat(pending.get(60, TimeUnit.SECONDS).failures()).isEmpty();
        assertThat(g0.calls()).isEqualTo(1);
        assertThat(g1.calls()).isEqualTo(1);
        assertThat(registry.get("dragon.dispatch.latency").tag("group", "g0").timer().count()).isEqualTo(1);
    }

    @Test
    void dispatch_picksTheReplicaWithFewestOutstandingCalls_andSpreadsTiesAtRandom() throws Exception {
        ExpertGroupServer a = server("g0");
        ExpertGroupServer b = server("g0");
        use("g0", a, b);
        RemoteExpertBackend backend = backend(FP32);
        a.hold();
        b.hold();

        CompletableFuture<ExpertResult> first = backend.submit(Batches.groupExperts(1, "g0", 0));
        await().atMost(Duration.ofSeconds(30)).until(() -> a.inFlight() + b.inFlight() == 1);
        CompletableFuture<ExpertResult> second = backend.submit(Batches.groupExperts(2, "g0", 0));
        await().atMost(Duration.ofSeconds(30)).until(() -> a.inFlight() + b.inFlight() == 2);

        assertThat(a.inFlight()).as("the second call went to the idle replica").isEqualTo(1);
        assertThat(b.inFlight()).isEqualTo(1);
        a.release();
        b.release();
        assertThat(first.get(60, TimeUnit.SECONDS).failures()).isEmpty();
        assertThat(second.get(60, TimeUnit.SECONDS).failures()).isEmpty();

        for (int i = 0; i < 40; i++) {                         // idle replicas tie: both must be chosen
            assertThat(backend.submit(Batches.groupExperts(10 + i, "g0", 1)).get(60, TimeUnit.SECONDS).failures())
                    .isEmpty();
        }
        assertThat(a.calls()).isGreaterThan(1);
        assertThat(b.calls()).isGreaterThan(1);
    }

    @Test
    void dispatch_retriesOnAnotherReplica_whenOneIsKilled() throws Exception {
        ExpertGroupServer doomed = server("g0");
        ExpertGroupServer spare = server("g0");
        use("g1", server("g1"));
        use("g0", doomed);                                    // only the doomed replica is known at first
        RemoteExpertBackend backend = backend(FP32);
        doomed.hold();
        ExpertBatch batch = Batches.allExperts(21, 3);

        CompletableFuture<ExpertResult> pending = backend.submit(batch);
        await().atMost(Duration.ofSeconds(30)).until(() -> doomed.inFlight() == 1);
        discovery.update("g0", List.of(doomed.endpoint(), spare.endpoint()));
        doomed.kill();                                        // mid-call

        ExpertResult result = pending.get(60, TimeUnit.SECONDS);
        assertThat(result.failures()).isEmpty();
        assertThat(result.output()).containsExactly(Batches.reference(batch).output());
        assertThat(spare.calls()).isEqualTo(1);
        assertThat(count("dragon.dispatch.retries", "g0")).isEqualTo(1.0);
        assertThat(count("dragon.dispatch.failovers", "g0")).isEqualTo(1.0);
        assertThat(count("dragon.dispatch.failures", "g0")).isZero();

        for (int i = 0; i < 5; i++) {                          // the dead replica stays listed: still served
            ExpertBatch next = Batches.allExperts(30 + i, i % 4);
            ExpertResult r = backend.submit(next).get(60, TimeUnit.SECONDS);
            assertThat(r.failures()).isEmpty();
            assertThat(r.output()).containsExactly(Batches.reference(next).output());
        }
    }

    @Test
    void aRestartedReplica_getsCallsAgainWithinSeconds_notAfterTheGrownReconnectBackoff() throws Exception {
        ExpertGroupServer restarted = server("g0");
        ExpertGroupServer spare = server("g0");
        use("g1", server("g1"));
        use("g0", restarted, spare);
        RemoteExpertBackend backend = backend(FP32);
        ExpertBatch batch = Batches.allExperts(5, 2);
        restarted.kill();
        long downUntil = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < downUntil) {                // traffic while it is down: gRPC's backoff grows
            assertThat(backend.submit(batch).get(60, TimeUnit.SECONDS).failures()).isEmpty();
            Thread.sleep(100);
        }
        int before = restarted.calls();

        restarted.restart();

        await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(100)).until(() -> {
            assertThat(backend.submit(batch).get(60, TimeUnit.SECONDS).failures()).isEmpty();
            return restarted.calls() > before;
        });
    }

    @Test
    void dispatch_retriesOnAnotherReplica_whenACallIsSlowerThanTheCallTimeout() throws Exception {
        ExpertGroupServer slow = server("g0");
        ExpertGroupServer fast = server("g0");
        use("g0", slow);
        RemoteExpertBackend backend = backend(new RemoteExpertBackend.Settings(Precision.FP32,
                Duration.ofMillis(1500), Duration.ofSeconds(60), 2));
        slow.hold();                                          // never answers in time
        ExpertBatch batch = Batches.groupExperts(3, "g0", 2);

        CompletableFuture<ExpertResult> pending = backend.submit(batch);
        // calls start on the dispatch loop, after submit returns: the fast replica joins once the slow one has it
        await().atMost(Duration.ofSeconds(30)).until(() -> slow.inFlight() == 1);
        discovery.update("g0", List.of(slow.endpoint(), fast.endpoint()));

        ExpertResult result = pending.get(60, TimeUnit.SECONDS);
        assertThat(result.failures()).isEmpty();
        assertThat(result.output()).containsExactly(Batches.reference(batch).output());
        assertThat(fast.calls()).isEqualTo(1);
        assertThat(count("dragon.dispatch.failovers", "g0")).isEqualTo(1.0);
    }

    @Test
    void aReplyAfterTheCallTimeout_isDropped_andTheSameReplicaServesTheNextCall() throws Exception {
        ExpertGroupServer slow = server("g0");
        use("g0", slow);
        RemoteExpertBackend backend = backend(new RemoteExpertBackend.Settings(Precision.FP32,
                Duration.ofMillis(300), Duration.ofMillis(300), 0));
        slow.hold();
        ExpertBatch late = Batches.groupExperts(5, "g0", 2);

        ExpertResult timedOut = backend.submit(late).get(60, TimeUnit.SECONDS);
        assertThat(timedOut.failures()).isNotEmpty();
        assertThat(timedOut.failures().values()).allMatch(reason -> reason.contains("DEADLINE_EXCEEDED"));
        slow.release();                                       // its reply now arrives for a call nobody waits on
        await().atMost(Duration.ofSeconds(30)).until(() -> slow.inFlight() == 0);

        ExpertBatch next = Batches.groupExperts(6, "g0", 2);
        ExpertResult answered = backend.submit(next).get(60, TimeUnit.SECONDS);
        assertThat(answered.failures()).isEmpty();
        assertThat(answered.output()).containsExactly(Batches.reference(next).output());
        assertThat(slow.calls()).isEqualTo(2);
    }

    @Test
    void dispatch_retriesOnAnotherReplica_whenOneAnswersWithAnError() throws Exception {
        ExpertGroupServer failing = server("g0");
        ExpertGroupServer healthy = server("g0");
        use("g0", failing, healthy);
        RemoteExpertBackend backend = backend(FP32);
        failing.failNext(1000, Status.UNAVAILABLE);

        for (int i = 0; i < 10; i++) {
            ExpertBatch batch = Batches.groupExperts(40 + i, "g0", 1);
            ExpertResult r = backend.submit(batch).get(60, TimeUnit.SECONDS);
            assertThat(r.failures()).isEmpty();
            assertThat(r.output()).containsExactly(Batches.reference(batch).output());
        }
        assertThat(healthy.calls()).isEqualTo(10);
        assertThat(count("dragon.dispatch.failovers", "g0")).isEqualTo(failing.calls());
    }

    @Test
    void dispatch_reportsFailuresOnlyForTheExpertsOfAGroupWithNoLiveReplica() throws Exception {
        use("g0", server("g0"));                               // g1 has no replica at all
        RemoteExpertBackend backend = backend(FP32);
        ExpertBatch batch = Batches.allExperts(50, 0);

        ExpertResult result = backend.submit(batch).get(60, TimeUnit.SECONDS);

        assertFailuresExactlyForGroup(batch, result, "g1", "no live replica");
        assertThat(count("dragon.dispatch.failures", "g1")).isEqualTo(1.0);
        assertThat(count("dragon.dispatch.failures", "g0")).isZero();
    }

    @Test
    void dispatch_reportsFailuresOnlyForTheExpertsOfAGroupWhoseReplicasAllFail() throws Exception {
        use("g0", server("g0"));
        ExpertGroupServer dead1 = server("g1");
        ExpertGroupServer dead2 = server("g1");
        use("g1", dead1, dead2);
        RemoteExpertBackend backend = backend(FP32);
        dead1.kill();
        dead2.kill();
        ExpertBatch batch = Batches.allExperts(51, 2);

        ExpertResult result = backend.submit(batch).get(60, TimeUnit.SECONDS);

        assertFailuresExactlyForGroup(batch, result, "g1", "failed on 2 replica(s)");
        assertThat(count("dragon.dispatch.retries", "g1")).isEqualTo(1.0);
    }

    @Test
    void replicas_followDiscovery_andARemovedReplicaGetsNoMoreCalls() throws Exception {
        ExpertGroupServer a = server("g0");
        ExpertGroupServer b = server("g0");
        use("g0", a, b);
        RemoteExpertBackend backend = backend(FP32);
        assertThat(backend.replicas("g0")).isEqualTo(2);
        assertThat(registry.get("dragon.expert.group.replicas").tag("group", "g0").gauge().value()).isEqualTo(2.0);
        assertThat(registry.get("dragon.expert.group.replicas").tag("group", "g1").gauge().value()).isZero();

        discovery.update("g0", List.of(b.endpoint()));
        int before = a.calls();
        for (int i = 0; i < 6; i++) {
            assertThat(backend.submit(Batches.groupExperts(60 + i, "g0", 3)).get(60, TimeUnit.SECONDS).failures())
                    .isEmpty();
        }

        assertThat(backend.replicas("g0")).isEqualTo(1);
        assertThat(a.calls()).isEqualTo(before);
        assertThat(registry.get("dragon.expert.group.replicas").tag("group", "g0").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void anExpertPlacedInTwoGroups_goesToTheLessLoadedOne() throws Exception {
        int hotExpert = ShippedExperts.bundle().manifest().partition().groups().getFirst().experts().get(0).getFirst();
        ExpertGroupServer g0 = use("g0", server("g0"));
        ExpertGroupServer hot = server("hot");
        StaticExpertDiscovery withHot = new StaticExpertDiscovery(Set.of("g0", "g1", "hot"),
                Map.of("g0", List.of(g0.endpoint()), "hot", List.of(hot.endpoint())));
        Map<String, List<List<Integer>>> placement = new java.util.HashMap<>();
        ShippedExperts.bundle().manifest().partition().groups().forEach(g -> placement.put(g.name(), g.experts()));
        placement.put("hot", List.of(List.of(hotExpert)));
        RemoteExpertBackend backend = closeLater(new RemoteExpertBackend(ShippedExperts.modelId(),
                GroupPlacement.of(ShippedExperts.bundle().manifest(), placement), withHot, ChannelFactory.plaintext(LOOP),
                FP32, registry));
        g0.hold();

        CompletableFuture<ExpertResult> busy = backend.submit(Batches.groupExperts(70, "g0", 1));
        await().atMost(Duration.ofSeconds(30)).until(() -> g0.inFlight() == 1);
        ExpertBatch hotBatch = Batches.random(71, 0, new int[] {hotExpert}, new int[] {3});
        ExpertResult viaHot = backend.submit(hotBatch).get(60, TimeUnit.SECONDS);

        assertThat(hot.calls()).isEqualTo(1);
        assertThat(viaHot.output()).containsExactly(Batches.reference(hotBatch).output());
        g0.release();
        assertThat(busy.get(60, TimeUnit.SECONDS).failures()).isEmpty();
        withHot.update("hot", List.of());                     // no live replica there: back to g0
        assertThat(backend.submit(hotBatch).get(60, TimeUnit.SECONDS).failures()).isEmpty();
        assertThat(hot.calls()).isEqualTo(1);
    }

    @Test
    void waitedNanos_countsOnlyTimeSpentBlockedInJoin() throws Exception {
        ExpertGroupServer g0 = use("g0", server("g0"));
        use("g1", server("g1"));
        RemoteExpertBackend backend = backend(FP32);
        g0.delay(300);

        CompletableFuture<ExpertResult> pending = backend.submit(Batches.allExperts(80, 1));
        assertThat(backend.waitedNanos()).isZero();
        pending.join();
        long waited = backend.waitedNanos();

        assertThat(waited).isPositive();
        pending.join();                                        // already done: no wait
        assertThat(backend.waitedNanos()).isEqualTo(waited);
        assertThat(registry.get("dragon.dispatch.wait").functionCounter().count()).isEqualTo(waited / 1e9);
    }

    private void assertFailuresExactlyForGroup(ExpertBatch batch, ExpertResult result, String group, String reason) {
        var partition = ShippedExperts.bundle().manifest().partition();
        ExpertResult reference = Batches.reference(batch);
        for (int i = 0; i < batch.experts().length; i++) {
            int e = batch.experts()[i];
            boolean inGroup = partition.groupOf(batch.layer(), e).name().equals(group);
            if (inGroup) {
                assertThat(result.failures().get(e)).as("expert %d", e).contains(reason);
            } else {
                assertThat(result.failures()).doesNotContainKey(e);
                assertThat(Batches.rowsOf(batch, result.output(), i)).as("expert %d", e)
                        .containsExactly(Batches.rowsOf(batch, reference.output(), i));
            }
        }
        assertThat(result.failures()).isNotEmpty();
    }

    private double count(String name, String group) {
        return registry.get(name).tag("group", group).counter().count();
    }

    private RemoteExpertBackend backend(RemoteExpertBackend.Settings settings) {
        return closeLater(new RemoteExpertBackend(ShippedExperts.modelId(),
                GroupPlacement.of(ShippedExperts.bundle().manifest(), Map.of()), discovery, ChannelFactory.plaintext(LOOP),
                settings, registry));
    }

    private ExpertGroupServer server(String group) throws Exception {
        return closeLater(group.equals("hot") ? ExpertGroupServer.start("hot", (l, e) -> true)
                : ExpertGroupServer.ofGroup(group));
    }

    /** Lists {@code servers} as the replicas of {@code group}; returns the first. */
    private ExpertGroupServer use(String group, ExpertGroupServer... servers) {
        List<ReplicaEndpoint> endpoints = new ArrayList<>(discovery.replicas(group));
        for (ExpertGroupServer s : servers) {
            endpoints.add(s.endpoint());
        }
        discovery.update(group, endpoints);
        return servers[0];
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        closing.add(c);
        return c;
    }
}
