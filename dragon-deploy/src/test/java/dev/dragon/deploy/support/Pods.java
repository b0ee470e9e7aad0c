package dev.dragon.deploy.support;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1PodSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Small helpers over pod templates and label selectors. */
public final class Pods {

    private Pods() {
    }

    /** Whether a matchLabels selector selects a set of labels (every selector pair present). */
    public static boolean selects(Map<String, String> matchLabels, Map<String, String> labels) {
        return matchLabels != null && !matchLabels.isEmpty() && labels != null
                && labels.entrySet().containsAll(matchLabels.entrySet());
    }

    public static Map<String, String> podLabels(V1Deployment deployment) {
        return deployment.getSpec().getTemplate().getMetadata().getLabels();
    }

    public static V1PodSpec podSpec(V1Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec();
    }

    public static List<V1Container> containers(V1Deployment deployment) {
        return podSpec(deployment).getContainers();
    }

    public static List<V1Container> initContainers(V1Deployment deployment) {
        List<V1Container> init = podSpec(deployment).getInitContainers();
        return init == null ? List.of() : init;
    }

    /** Containers and init containers. */
    public static List<V1Container> allContainers(V1Deployment deployment) {
        List<V1Container> all = new ArrayList<>(containers(deployment));
        all.addAll(initContainers(deployment));
        return all;
    }

    /** "deployment/container", for assertion messages. */
    public static String where(V1Deployment deployment, V1Container container) {
        return deployment.getMetadata().getName() + "/" + container.getName();
    }

    public static Stream<String> containerPortNames(V1Deployment deployment) {
        return containers(deployment).stream()
                .flatMap(c -> c.getPorts() == null ? Stream.empty() : c.getPorts().stream())
                .map(p -> p.getName());
    }
}
