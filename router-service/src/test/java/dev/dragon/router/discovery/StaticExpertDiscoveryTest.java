package dev.dragon.router.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The static discovery passes the discovery contract; its config parses host:port. */
class StaticExpertDiscoveryTest extends ExpertDiscoveryContract {

    @Override
    protected Fixture start(Map<String, List<ReplicaEndpoint>> initial) {
        StaticExpertDiscovery discovery = new StaticExpertDiscovery(Set.of("g0", "g1"), initial);
        discovery.start();
        return new Fixture() {
            @Override
            public ExpertDiscovery discovery() {
                return discovery;
            }

            @Override
            public void set(String group, List<ReplicaEndpoint> replicas) {
                discovery.update(group, replicas);
            }

            @Override
            public void close() {
                discovery.close();
            }
        };
    }

    @Test
    void fromConfig_parsesHostPortLists_andKeepsGroupsListedOnlyInConfig() {
        StaticExpertDiscovery d = StaticExpertDiscovery.fromConfig(Set.of("g0", "g1"),
                Map.of("g0", List.of("localhost:9092", " localhost:9093 "), "extra", List.of("[::1]:9100")));

        assertThat(d.replicas("g0")).containsExactly(new ReplicaEndpoint("localhost", 9092),
                new ReplicaEndpoint("localhost", 9093));
        assertThat(d.replicas("extra")).containsExactly(new ReplicaEndpoint("::1", 9100));
        assertThat(d.replicas("extra").getFirst().target()).isEqualTo("[::1]:9100");
        assertThat(d.groups()).containsExactlyInAnyOrder("g0", "g1", "extra");
    }

    @Test
    void replicaEndpoint_refusesWhatIsNotHostPort() {
        for (String bad : List.of("localhost", "localhost:", ":9092", "host:port", "host:0", "host:70000")) {
            assertThatThrownBy(() -> ReplicaEndpoint.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
