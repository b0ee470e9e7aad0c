package dev.dragon.router.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.models.DiscoveryV1EndpointPort;
import io.kubernetes.client.openapi.models.V1Endpoint;
import io.kubernetes.client.openapi.models.V1EndpointConditions;
import io.kubernetes.client.openapi.models.V1EndpointSlice;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes discovery passes the discovery contract against a local HTTP stub of the API server's
 * EndpointSlice list/watch, and reads slices the way Kubernetes writes them: only ready endpoints, the
 * gRPC port by name, several slices per group, other namespaces and labels ignored, watches resumed.
 */
class KubernetesExpertDiscoveryIT extends ExpertDiscoveryContract {

    private static final String NS = "dragon";
    private static final String LABEL = "dragon.dev/expert-group";
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    @Override
    protected Fixture start(Map<String, List<ReplicaEndpoint>> initial) throws Exception {
        KubeApiStub api = new KubeApiStub();
        initial.forEach((group, replicas) -> api.put(NS, slice(group + "-abcde", group, replicas, true)));
        KubernetesExpertDiscovery discovery = discovery(api);
        return new Fixture() {
            @Override
            public ExpertDiscovery discovery() {
                return discovery;
            }

            @Override
            public void set(String group, List<ReplicaEndpoint> replicas) {
                if (replicas.isEmpty()) {
                    api.delete(NS, group + "-abcde");
                } else {
                    api.put(NS, slice(group + "-abcde", group, replicas, true));
                }
            }

            @Override
            public void close() {
                discovery.close();
                api.close();
            }
        };
    }

    @Test
    void informer_listsAndWatches_withTheGroupsLabelSelector_inItsNamespace() throws Exception {
        KubeApiStub api = closeLater(new KubeApiStub());
        api.put(NS, slice("g0-1", "g0", List.of(A), true));
        KubernetesExpertDiscovery d = closeLater(discovery(api));

        await().atMost(PATIENCE).until(() -> d.replicas("g0").equals(List.of(A)));
        await().atMost(PATIENCE).until(() -> api.requests().stream().anyMatch(r -> r.contains("watch=true")));

        assertThat(d.labelSelector()).isEqualTo(LABEL + " in (g0,g1)");
        assertThat(api.requests()).allSatisfy(r -> {
            assertThat(r).startsWith("/apis/discovery.k8s.io/v1/namespaces/" + NS + "/endpointslices?");
            assertThat(URLDecoder.decode(r, StandardCharsets.UTF_8)).contains("labelSelector=" + d.labelSelector());
        });
    }

    @Test
    void onlyReadyEndpoints_onThePortNamedGrpc_countAsReplicas() throws Exception {
        KubeApiStub api = closeLater(new KubeApiStub());
        V1EndpointSlice slice = slice("g0-1", "g0", List.of(A), true);
        slice.addEndpointsItem(endpoint(B.host(), false));                    // not ready (starting, terminating)
        slice.addEndpointsItem(new V1Endpoint().addAddressesItem("10.0.0.3"));   // ready unset means ready
        slice.setPorts(List.of(new DiscoveryV1EndpointPort().name("http").port(8082),
                new DiscoveryV1EndpointPort().name("grpc").port(9092)));
        api.put(NS, slice);
        V1EndpointSlice noGrpcPort = slice("g1-1", "g1", List.of(C), true);
        noGrpcPort.setPorts(List.of(new DiscoveryV1EndpointPort().name("http").port(8082)));
        api.put(NS, noGrpcPort);
        KubernetesExpertDiscovery d = closeLater(discovery(api));

        await().atMost(PATIENCE).until(() -> d.replicas("g0").size() == 2);
        assertThat(d.replicas("g0")).containsExactly(A, new ReplicaEndpoint("10.0.0.3", 9092));
        assertThat(d.replicas("g1")).isEmpty();

        V1EndpointSlice nowReady = slice("g0-1", "g0", List.of(A, B), true);
        api.put(NS, nowReady);
        await().atMost(PATIENCE).until(() -> d.replicas("g0").equals(List.of(A, B)));
    }

    @Test
    void aGroupsReplicas_areTheUnionOfItsSlices_andOtherNamespacesAndLabelsAreIgnored() throws Exception {
        KubeApiStub api = closeLater(new KubeApiStub());
        api.put(NS, slice("g0-1", "g0", List.of(A), true));
        api.put(NS, slice("g0-2", "g0", List.of(B), true));
        api.put("other", slice("g0-x", "g0", List.of(C), true));
        V1EndpointSlice unrelated = slice("web-1", "g0", List.of(C), true);
        unrelated.getMetadata().setLabels(Map.of("app", "web"));
        api.put(NS, unrelated);
        api.put(NS, slice("g9-1", "g9", List.of(C), true));
        KubernetesExpertDiscovery d = closeLater(discovery(api));

        await().atMost(PATIENCE).until(() -> d.replicas("g0").size() == 2);
        assertThat(d.replicas("g0")).containsExactly(A, B);
        assertThat(d.replicas("g9")).isEmpty();

        api.delete(NS, "g0-1");
        await().atMost(PATIENCE).until(() -> d.replicas("g0").equals(List.of(B)));
    }

    @Test
    void changes_keepArriving_afterTheApiServerEndsAWatch() throws Exception {
        KubeApiStub api = closeLater(new KubeApiStub());
        api.put(NS, slice("g1-1", "g1", List.of(A), true));
        KubernetesExpertDiscovery d = closeLater(discovery(api));
        await().atMost(PATIENCE).until(() -> d.replicas("g1").equals(List.of(A)));
        await().atMost(PATIENCE).until(() -> api.requests().stream().anyMatch(r -> r.contains("watch=true")));
        long watches = api.requests().stream().filter(r -> r.contains("watch=true")).count();

        api.closeWatches();
        await().atMost(PATIENCE).until(() -> api.requests().stream().filter(r -> r.contains("watch=true")).count()
                > watches);
        api.put(NS, slice("g1-1", "g1", List.of(A, C), true));

        await().atMost(PATIENCE).until(() -> d.replicas("g1").equals(List.of(A, C)));
    }

    private KubernetesExpertDiscovery discovery(KubeApiStub api) {
        KubernetesExpertDiscovery d = new KubernetesExpertDiscovery(KubernetesClients.client(api.url()), NS, LABEL,
                "grpc", Set.of("g0", "g1"), Duration.ZERO);
        d.start();
        return d;
    }

    static V1EndpointSlice slice(String name, String group, List<ReplicaEndpoint> replicas, boolean ready) {
        V1EndpointSlice slice = new V1EndpointSlice().apiVersion("discovery.k8s.io/v1").kind("EndpointSlice")
                .addressType("IPv4")
                .metadata(new V1ObjectMeta().name(name).labels(Map.of(LABEL, group,
                        "kubernetes.io/service-name", "expert-" + group)));
        Integer port = replicas.isEmpty() ? 9092 : replicas.getFirst().port();
        slice.setPorts(List.of(new DiscoveryV1EndpointPort().name("grpc").port(port).protocol("TCP")));
        for (ReplicaEndpoint r : replicas) {
            slice.addEndpointsItem(endpoint(r.host(), ready));
        }
        return slice;
    }

    private static V1Endpoint endpoint(String address, boolean ready) {
        return new V1Endpoint().addAddressesItem(address)
                .conditions(new V1EndpointConditions().ready(ready).serving(ready).terminating(!ready));
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        closing.add(c);
        return c;
    }
}
