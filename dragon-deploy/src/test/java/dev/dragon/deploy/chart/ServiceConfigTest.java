package dev.dragon.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.deploy.support.Chart;
import dev.dragon.deploy.support.Manifests;
import dev.dragon.deploy.support.Pods;
import dev.dragon.deploy.support.Values;
import dev.dragon.deploy.support.Variant;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServicePort;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The application.yaml each pod loads agrees with its manifests: ports the container declares, the model
 * mount, and the Services the service calls.
 */
class ServiceConfigTest {

    @ParameterizedTest
    @EnumSource(Variant.class)
    void everyService_listensOnTheContainerPortsItDeclares_withKubernetesProbesOn(Variant variant) {
        Manifests manifests = Chart.render(variant);
        for (V1Deployment deployment : manifests.deployments()) {
            Map<String, Object> config = config(manifests, deployment.getMetadata().getName());
            Map<String, Integer> ports = ports(deployment);
            assertThat(property(config, "server.port")).isEqualTo(ports.get("http"));
            assertThat(property(config, "management.endpoint.health.probes.enabled")).isEqualTo(true);
            if (ports.containsKey("grpc")) {
                assertThat(property(config, "spring.grpc.server.port")).isEqualTo(ports.get("grpc"));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void theGateway_servesActuatorAndAdminOnTheirOwnPorts_andForwardsToTheRouterService(Variant variant) {
        Manifests manifests = Chart.render(variant);
        Map<String, Object> config = config(manifests, "dragon-gateway");
        Map<String, Integer> ports = ports(manifests.get(V1Deployment.class, "dragon-gateway"));

        assertThat(property(config, "management.server.port")).isEqualTo(ports.get("management"));
        assertThat(property(config, "dragon.gateway.admin.port")).isEqualTo(ports.get("admin"));
        assertThat(property(config, "dragon.gateway.upstream.uris")).isEqualTo("http://" + serviceAddress(manifests, "dragon-router", "http"));
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void theRouter_readsTheMountedModel_discoversExpertGroupsByTheirServiceLabel_andCallsTheCacheService(Variant variant) {
        Manifests manifests = Chart.render(variant);
        Map<String, Object> config = config(manifests, "dragon-router");
        V1Service expertService = manifests.all(V1Service.class).stream()
                .filter(s -> s.getMetadata().getName().startsWith("dragon-expert-")).findFirst().orElseThrow();

        assertThat(property(config, "dragon.router.model.bundle-path")).isEqualTo(modelPath(manifests, "dragon-router"));
        assertThat(property(config, "dragon.router.dispatch.mode")).isEqualTo("remote");
        assertThat(property(config, "dragon.router.discovery.mode")).isEqualTo("kubernetes");
        assertThat(expertService.getMetadata().getLabels())
                .containsKey((String) property(config, "dragon.router.discovery.kubernetes.label-key"));
        assertThat(expertService.getSpec().getPorts()).extracting(V1ServicePort::getName)
                .contains((String) property(config, "dragon.router.discovery.kubernetes.port-name"));
        assertThat(property(config, "dragon.router.cache.target")).isEqualTo("dns:///" + serviceAddress(manifests, "dragon-cache", "grpc"));
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void expertsAndTheLearner_readTheMountedModel(Variant variant) {
        Manifests manifests = Chart.render(variant);

        assertThat(property(config(manifests, "dragon-expert-g0"), "dragon.expert.bundle"))
                .isEqualTo(modelPath(manifests, "dragon-expert-g0"));
        assertThat(property(config(manifests, "dragon-learner"), "dragon.learning.bundle"))
                .isEqualTo(modelPath(manifests, "dragon-learner"));
        assertThat(property(config(manifests, "dragon-learner"), "dragon.learning.admin.port"))
                .isEqualTo(ports(manifests.get(V1Deployment.class, "dragon-learner")).get("admin"));
    }

    /** The parsed application.yaml a Deployment's pods load from their config volume. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> config(Manifests manifests, String deployment) {
        String configMap = Pods.podSpec(manifests.get(V1Deployment.class, deployment)).getVolumes().stream()
                .filter(v -> v.getConfigMap() != null).findFirst().orElseThrow().getConfigMap().getName();
        return (Map<String, Object>) Values.parse(manifests.get(V1ConfigMap.class, configMap).getData().get("application.yaml"));
    }

    /** A dotted property of a parsed YAML tree (null when absent); numeric strings read as numbers. */
    static Object property(Map<String, Object> config, String dotted) {
        Object node = config;
        for (String key : dotted.split("\\.")) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(key);
        }
        return node instanceof String text && text.matches("\\d+") ? Integer.valueOf(text) : node;
    }

    private static Map<String, Integer> ports(V1Deployment deployment) {
        return Pods.containers(deployment).getFirst().getPorts().stream()
                .collect(Collectors.toMap(V1ContainerPort::getName, V1ContainerPort::getContainerPort));
    }

    /** "name:port" of a rendered Service's named port. */
    private static String serviceAddress(Manifests manifests, String service, String portName) {
        V1ServicePort port = manifests.get(V1Service.class, service).getSpec().getPorts().stream()
                .filter(p -> portName.equals(p.getName())).findFirst().orElseThrow();
        return service + ":" + port.getPort();
    }

    private static String modelPath(Manifests manifests, String deployment) {
        V1Container container = Pods.containers(manifests.get(V1Deployment.class, deployment)).getFirst();
        String mount = container.getVolumeMounts().stream().filter(m -> m.getName().equals("model")).findFirst()
                .orElseThrow().getMountPath();
        return mount + "/dragon-moe-mini";
    }
}
