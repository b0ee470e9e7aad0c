package dev.dragon.router.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ExpertDiscovery} must do, run against each implementation by a subclass that says how
 * to start one and how to change the replicas it sees.
 */
abstract class ExpertDiscoveryContract {

    /** A started discovery for groups g0 and g1, and the way to change what it sees. */
    interface Fixture extends AutoCloseable {
        ExpertDiscovery discovery();

        /** Makes {@code replicas} the live replicas of {@code group} at the source (config, API server). */
        void set(String group, List<ReplicaEndpoint> replicas) throws Exception;
    }

    /** Starts a discovery for {@code g0} and {@code g1} whose source initially lists {@code initial}. */
    protected abstract Fixture start(Map<String, List<ReplicaEndpoint>> initial) throws Exception;

    static final ReplicaEndpoint A = new ReplicaEndpoint("10.0.0.1", 9092);
    static final ReplicaEndpoint B = new ReplicaEndpoint("10.0.0.2", 9092);
    static final ReplicaEndpoint C = new ReplicaEndpoint("10.0.1.7", 9092);
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private Fixture fixture;

    @AfterEach
    void closeFixture() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void replicas_areReportedPerGroup_sorted_andAGroupWithoutReplicasIsEmpty() throws Exception {
        fixture = start(Map.of("g0", List.of(B, A)));
        ExpertDiscovery d = fixture.discovery();

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(d.replicas("g0")).containsExactly(A, B));
        assertThat(d.replicas("g1")).isEmpty();
        assertThat(d.replicas("no-such-group")).isEmpty();
        assertThat(d.groups()).contains("g0", "g1");
        assertThat(d.snapshot()).containsEntry("g0", List.of(A, B)).containsEntry("g1", List.of());
    }

    @Test
    void aNewListener_hearsEveryGroupsCurrentReplicasAtOnce() throws Exception {
        fixture = start(Map.of("g0", List.of(A), "g1", List.of(C)));
        ExpertDiscovery d = fixture.discovery();
        await().atMost(PATIENCE).until(() -> d.replicas("g0").size() == 1 && d.replicas("g1").size() == 1);

        Map<String, List<ReplicaEndpoint>> heard = new ConcurrentHashMap<>();
        try (var subscription = d.subscribe(heard::put)) {
            assertThat(heard).containsEntry("g0", List.of(A)).containsEntry("g1", List.of(C));
        }
    }

    @Test
    void listeners_hearWhenAReplicaIsAdded_andWhenOneIsRemoved() throws Exception {
        fixture = start(Map.of("g0", List.of(A)));
        ExpertDiscovery d = fixture.discovery();
        await().atMost(PATIENCE).until(() -> d.replicas("g0").equals(List.of(A)));
        List<List<ReplicaEndpoint>> g0Changes = new CopyOnWriteArrayList<>();
        var subscription = d.subscribe((group, replicas) -> {
            if (group.equals("g0")) {
                g0Changes.add(replicas);
            }
        });

        fixture.set("g0", List.of(A, B));
        await().atMost(PATIENCE).until(() -> g0Changes.getLast().equals(List.of(A, B)));
        fixture.set("g0", List.of(B));
        await().atMost(PATIENCE).until(() -> g0Changes.getLast().equals(List.of(B)));
        fixture.set("g0", List.of());
        await().atMost(PATIENCE).until(() -> g0Changes.getLast().isEmpty());

        assertThat(g0Changes).first().isEqualTo(List.of(A));
        assertThat(d.replicas("g0")).isEmpty();
        for (int i = 1; i < g0Changes.size(); i++) {
            assertThat(g0Changes.get(i)).as("only real changes are reported").isNotEqualTo(g0Changes.get(i - 1));
        }
        subscription.close();
    }

    @Test
    void aChangeOfOneGroup_isNotReportedAsAChangeOfAnother() throws Exception {
        fixture = start(Map.of("g0", List.of(A)));
        ExpertDiscovery d = fixture.discovery();
        await().atMost(PATIENCE).until(() -> d.replicas("g0").equals(List.of(A)));
        List<String> changed = new CopyOnWriteArrayList<>();
        d.subscribe((group, replicas) -> changed.add(group));
        changed.clear();

        fixture.set("g1", List.of(C));
        await().atMost(PATIENCE).until(() -> d.replicas("g1").equals(List.of(C)));

        assertThat(changed).containsOnly("g1");
        assertThat(d.replicas("g0")).containsExactly(A);
    }

    @Test
    void anUnsubscribedListener_hearsNothingMore() throws Exception {
        fixture = start(Map.of());
        ExpertDiscovery d = fixture.discovery();
        List<List<ReplicaEndpoint>> heard = new CopyOnWriteArrayList<>();
        var subscription = d.subscribe((group, replicas) -> heard.add(replicas));
        int initial = heard.size();
        subscription.close();

        fixture.set("g0", List.of(B));
        await().atMost(PATIENCE).until(() -> d.replicas("g0").equals(List.of(B)));

        assertThat(heard).hasSize(initial);
        assertThat(initial).isEqualTo(d.groups().size());
        assertThat(Set.copyOf(d.groups())).contains("g0", "g1");
    }
}
