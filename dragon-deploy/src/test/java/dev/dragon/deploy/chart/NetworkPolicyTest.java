package dev.dragon.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.deploy.support.Chart;
import dev.dragon.deploy.support.Manifests;
import dev.dragon.deploy.support.NetworkModel;
import dev.dragon.deploy.support.NetworkModel.Peer;
import dev.dragon.deploy.support.Variant;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who can reach whom under the rendered NetworkPolicies (default values unless the test says otherwise). */
class NetworkPolicyTest {

    private static final Peer INTERNET = Peer.external("a client on the internet");
    private static final Peer PROMETHEUS = Peer.pod("prometheus", "monitoring", Map.of("app", "prometheus"));
    private static final Peer INGRESS_CONTROLLER = Peer.pod("ingress controller", "ingress-nginx", Map.of("app", "nginx"));
    private static final Peer STRANGER = Peer.pod("another pod of the namespace", Chart.NAMESPACE, Map.of("app", "other"));
    private static final Peer KUBE_DNS = Peer.pod("kube-dns", "kube-system", Map.of("k8s-app", "kube-dns"));

    private final Manifests manifests = Chart.render(Variant.DEFAULTS);
    private final NetworkModel network = new NetworkModel(manifests.all(V1NetworkPolicy.class));
    private final Peer gateway = pod("dragon-gateway");
    private final Peer router = pod("dragon-router");
    private final Peer expert = pod("dragon-expert-g0");
    private final Peer cache = pod("dragon-cache");
    private final Peer learner = pod("dragon-learner");

    @Test
    void everyPod_isSelectedByAPolicyWithIngressAndEgressRules() {
        for (V1Deployment deployment : manifests.deployments()) {
            assertThat(manifests.all(V1NetworkPolicy.class)).as(deployment.getMetadata().getName())
                    .anySatisfy(policy -> {
                        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels().entrySet())
                                .containsAll(policy.getSpec().getPodSelector().getMatchLabels().entrySet());
                        assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
                    });
        }
    }

    @Test
    void onlyTheGatewaysPublicPort_isReachableFromOutside() {
        assertThat(network.allows(INTERNET, gateway, 8080)).isTrue();
        assertThat(network.allows(INTERNET, gateway, 9080)).as("actuator").isFalse();
        assertThat(network.allows(INTERNET, gateway, 9081)).as("admin API").isFalse();
        for (Peer inside : List.of(router, expert, cache, learner)) {
            for (int port : List.of(8081, 8082, 8083, 8084, 8094, 9092, 9093)) {
                assertThat(network.allows(INTERNET, inside, port)).as("internet -> %s:%d", inside.description(), port)
                        .isFalse();
            }
        }
    }

    @Test
    void theRouter_acceptsApiCallsOnlyFromGateways() {
        assertThat(network.allows(gateway, router, 8081)).isTrue();
        for (Peer other : List.of(STRANGER, INGRESS_CONTROLLER, expert, cache, learner)) {
            assertThat(network.allows(other, router, 8081)).as("%s -> router", other.description()).isFalse();
        }
    }

    @Test
    void expertsAndTheCache_acceptGrpcOnlyFromRouters() {
        assertThat(network.allows(router, expert, 9092)).isTrue();
        assertThat(network.allows(router, cache, 9093)).isTrue();
        for (Peer other : List.of(gateway, STRANGER, learner, PROMETHEUS)) {
            assertThat(network.allows(other, expert, 9092)).as("%s -> expert gRPC", other.description()).isFalse();
            assertThat(network.allows(other, cache, 9093)).as("%s -> cache gRPC", other.description()).isFalse();
        }
    }

    @Test
    void theLearner_acceptsNothingButMetricsScrapes_andTalksOnlyToKafka() {
        for (Peer other : List.of(gateway, router, expert, STRANGER, INTERNET)) {
            assertThat(network.allows(other, learner, 8084)).as("%s -> learner", other.description()).isFalse();
        }
        assertThat(network.allows(PROMETHEUS, learner, 8084)).isTrue();
        assertThat(network.allows(PROMETHEUS, learner, 8094)).as("admin API").isFalse();
        assertThat(network.allows(learner, Peer.external("kafka broker"), 9092)).isTrue();
        assertThat(network.allows(learner, Peer.external("a web site"), 443)).isFalse();
        assertThat(network.allows(learner, router, 8081)).isFalse();
    }

    @Test
    void prometheus_scrapesEveryMetricsPort() {
        assertThat(network.allows(PROMETHEUS, gateway, 9080)).isTrue();
        assertThat(network.allows(PROMETHEUS, router, 8081)).isTrue();
        assertThat(network.allows(PROMETHEUS, expert, 8082)).isTrue();
        assertThat(network.allows(PROMETHEUS, cache, 8083)).isTrue();
        assertThat(network.allows(PROMETHEUS, learner, 8084)).isTrue();
        assertThat(network.allows(PROMETHEUS, learner, 8094)).as("admin API").isFalse();
    }

    @Test
    void egress_isLimitedToWhatEachComponentCalls() {
        assertThat(network.allows(router, Peer.external("kube-apiserver"), 443)).isTrue();
        assertThat(network.allows(router, Peer.external("kafka broker"), 9092)).isTrue();
        assertThat(network.allows(gateway, expert, 9092)).as("gateway skips the router").isFalse();
        assertThat(network.allows(gateway, Peer.external("redis"), 6379)).isTrue();
        assertThat(network.allows(cache, Peer.external("redis"), 6379)).isTrue();
        assertThat(network.allows(cache, Peer.external("kafka broker"), 9092)).isFalse();
        assertThat(network.allows(expert, Peer.external("anything"), 443)).isFalse();
        assertThat(network.allows(expert, router, 8081)).isFalse();
        for (Peer any : List.of(gateway, router, expert, cache, learner)) {
            assertThat(network.allows(any, KUBE_DNS, 53)).as("%s resolves names", any.description()).isTrue();
        }
    }

    @Test
    void inProduction_thePublicPortIsReachableOnlyThroughTheIngressController_andAdminPeersAreConfigurable() {
        Manifests production = Chart.render(Variant.PRODUCTION);
        NetworkModel productionNetwork = new NetworkModel(production.all(V1NetworkPolicy.class));
        Peer productionGateway = Peer.of(production.get(V1Deployment.class, "dragon-gateway"));
        assertThat(productionNetwork.allows(INGRESS_CONTROLLER, productionGateway, 8080)).isTrue();
        assertThat(productionNetwork.allows(INTERNET, productionGateway, 8080)).isFalse();

        Manifests all = Chart.render(Variant.ALL_FEATURES);
        NetworkModel allNetwork = new NetworkModel(all.all(V1NetworkPolicy.class));
        Peer allGateway = Peer.of(all.get(V1Deployment.class, "dragon-gateway"));
        Peer console = Peer.pod("admin console", Chart.NAMESPACE, Map.of("app", "dragon-admin-console"));
        Peer allLearner = Peer.of(all.get(V1Deployment.class, "dragon-learner"));
        assertThat(allNetwork.allows(console, allGateway, 9081)).isTrue();
        assertThat(allNetwork.allows(console, allLearner, 8094)).isTrue();
        assertThat(allNetwork.allows(STRANGER, allGateway, 9081)).isFalse();
        assertThat(allNetwork.allows(STRANGER, allLearner, 8094)).isFalse();
        Peer allCache = Peer.of(all.get(V1Deployment.class, "dragon-cache"));
        assertThat(allNetwork.allows(console, allCache, 8083)).as("cache-service admin endpoints").isTrue();
        assertThat(allNetwork.allows(STRANGER, allCache, 8083)).isFalse();
    }

    private Peer pod(String deployment) {
        return Peer.of(manifests.get(V1Deployment.class, deployment));
    }
}
