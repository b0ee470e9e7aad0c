package dev.dragon.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.deploy.support.Chart;
import dev.dragon.deploy.support.Manifests;
import dev.dragon.deploy.support.Pods;
import dev.dragon.deploy.support.Variant;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Invariants every workload of every install variant keeps. */
class WorkloadInvariantsTest {

    private static final Set<String> COMPONENTS = Set.of("gateway", "router", "expert", "cache", "learner");

    @ParameterizedTest
    @EnumSource(Variant.class)
    void everyObject_parsesWithTheKubernetesClientModels(Variant variant) {
        Manifests manifests = Chart.render(variant);

        assertThat(manifests.all()).isNotEmpty();
        assertThat(manifests.all()).allSatisfy(m -> assertThat(m.typed() != null || isCustomResource(m.apiVersion()))
                .as("%s/%s has a client model or is a known custom resource", m.kind(), m.name()).isTrue());
        assertThat(manifests.all()).allSatisfy(m -> assertThat(m.raw()).extracting("metadata")
                .extracting("namespace").as("%s/%s namespace", m.kind(), m.name()).isNotNull());
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void everyComponent_isDeployed(Variant variant) {
        Set<String> deployed = Chart.render(variant).deployments().stream()
                .map(d -> d.getMetadata().getLabels().get("app.kubernetes.io/component"))
                .collect(Collectors.toSet());

        assertThat(deployed).isEqualTo(COMPONENTS);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void everyDeploymentSelector_matchesItsPodLabels_andNoOtherDeployments(Variant variant) {
        List<V1Deployment> deployments = Chart.render(variant).deployments();

        for (V1Deployment deployment : deployments) {
            Map<String, String> selector = deployment.getSpec().getSelector().getMatchLabels();
            assertThat(Pods.selects(selector, Pods.podLabels(deployment)))
                    .as("%s selects its own pods", deployment.getMetadata().getName()).isTrue();
            assertThat(deployments).filteredOn(other -> other != deployment)
                    .noneMatch(other -> Pods.selects(selector, Pods.podLabels(other)));
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void everyContainer_hasStartupReadinessAndLivenessProbes_onADeclaredPort(Variant variant) {
        for (V1Deployment deployment : Chart.render(variant).deployments()) {
            Set<String> ports = Pods.containerPortNames(deployment).collect(Collectors.toSet());
            for (V1Container container : Pods.containers(deployment)) {
                String where = Pods.where(deployment, container);
                for (V1Probe probe : new V1Probe[] {container.getStartupProbe(), container.getReadinessProbe(),
                        container.getLivenessProbe()}) {
                    assertThat(probe).as("%s probes", where).isNotNull();
                    assertThat(probe.getHttpGet().getPath()).as("%s probe path", where).startsWith("/actuator/health/");
                    assertThat(ports).as("%s probe port", where).contains(probe.getHttpGet().getPort().getStrValue());
                }
                assertThat(container.getReadinessProbe().getHttpGet().getPath()).endsWith("/readiness");
                assertThat(container.getLivenessProbe().getHttpGet().getPath()).endsWith("/liveness");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void everyContainer_requestsAndLimitsCpuAndMemory_withRequestsWithinLimits(Variant variant) {
        for (V1Deployment deployment : Chart.render(variant).deployments()) {
            for (V1Container container : Pods.allContainers(deployment)) {
                String where = Pods.where(deployment, container);
                Map<String, Quantity> requests = container.getResources().getRequests();
                Map<String, Quantity> limits = container.getResources().getLimits();
                assertThat(requests).as("%s requests", where).containsKeys("cpu", "memory");
                assertThat(limits).as("%s limits", where).containsKeys("cpu", "memory");
                for (String resource : List.of("cpu", "memory")) {
                    assertThat(requests.get(resource).getNumber())
                            .as("%s %s request <= limit", where, resource)
                            .isLessThanOrEqualTo(limits.get(resource).getNumber());
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void everyPod_runsAsNonRoot_withReadOnlyRootFilesystem_noCapabilities_andRuntimeDefaultSeccomp(Variant variant) {
        for (V1Deployment deployment : Chart.render(variant).deployments()) {
            V1PodSecurityContext pod = Pods.podSpec(deployment).getSecurityContext();
            assertThat(pod.getRunAsNonRoot()).isTrue();
            assertThat(pod.getRunAsUser()).isPositive();
            assertThat(pod.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            for (V1Container container : Pods.allContainers(deployment)) {
                String where = Pods.where(deployment, container);
                V1SecurityContext context = container.getSecurityContext();
                assertThat(context).as("%s securityContext", where).isNotNull();
                assertThat(context.getRunAsNonRoot()).as("%s runAsNonRoot", where).isTrue();
                assertThat(context.getReadOnlyRootFilesystem()).as("%s readOnlyRootFilesystem", where).isTrue();
                assertThat(context.getAllowPrivilegeEscalation()).as("%s allowPrivilegeEscalation", where).isFalse();
                assertThat(context.getCapabilities().getDrop()).as("%s drops", where).containsExactly("ALL");
                assertThat(context.getCapabilities().getAdd()).as("%s adds", where).isNullOrEmpty();
                assertThat(context.getPrivileged()).as("%s privileged", where).isNotEqualTo(Boolean.TRUE);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void everyServiceContainer_writesOnlyToATmpEmptyDir_andReadsTheModelReadOnly(Variant variant) {
        for (V1Deployment deployment : Chart.render(variant).deployments()) {
            Map<String, V1Volume> volumes = Pods.podSpec(deployment).getVolumes().stream()
                    .collect(Collectors.toMap(V1Volume::getName, v -> v));
            for (V1Container container : Pods.containers(deployment)) {
                Map<String, V1VolumeMount> mounts = container.getVolumeMounts().stream()
                        .collect(Collectors.toMap(V1VolumeMount::getMountPath, m -> m));
                assertThat(mounts).as("%s mounts", Pods.where(deployment, container)).containsKey("/tmp");
                assertThat(volumes.get(mounts.get("/tmp").getName()).getEmptyDir()).isNotNull();
                assertThat(mounts.values()).filteredOn(m -> !m.getMountPath().equals("/tmp"))
                        .allSatisfy(m -> assertThat(m.getReadOnly()).as("%s read-only", m.getMountPath()).isTrue());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void everyReferencedConfigMapAndServiceAccount_isRendered(Variant variant) {
        Manifests manifests = Chart.render(variant);
        Set<String> configMaps = names(manifests.all(V1ConfigMap.class).stream().map(c -> c.getMetadata().getName()));
        Set<String> accounts = names(manifests.all(V1ServiceAccount.class).stream().map(a -> a.getMetadata().getName()));

        for (V1Deployment deployment : manifests.deployments()) {
            assertThat(accounts).contains(Pods.podSpec(deployment).getServiceAccountName());
            Pods.podSpec(deployment).getVolumes().stream().filter(v -> v.getConfigMap() != null)
                    .forEach(v -> assertThat(configMaps).contains(v.getConfigMap().getName()));
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void onlyTheRouter_mountsAServiceAccountToken(Variant variant) {
        for (V1Deployment deployment : Chart.render(variant).deployments()) {
            boolean router = "router".equals(deployment.getMetadata().getLabels().get("app.kubernetes.io/component"));
            assertThat(Pods.podSpec(deployment).getAutomountServiceAccountToken())
                    .as("%s automountServiceAccountToken", deployment.getMetadata().getName()).isEqualTo(router);
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void routersExpertsAndLearner_mountTheModelBundle_gatewayAndCacheDoNot(Variant variant) {
        Set<String> needModel = Set.of("router", "expert", "learner");
        for (V1Deployment deployment : Chart.render(variant).deployments()) {
            String component = deployment.getMetadata().getLabels().get("app.kubernetes.io/component");
            boolean mountsModel = Pods.containers(deployment).getFirst().getVolumeMounts().stream()
                    .anyMatch(m -> m.getMountPath().equals("/models"));
            assertThat(mountsModel).as("%s mounts /models", component).isEqualTo(needModel.contains(component));
        }
    }

    static boolean isCustomResource(String apiVersion) {
        return apiVersion.startsWith("monitoring.coreos.com/") || apiVersion.startsWith("keda.sh/");
    }

    private static Set<String> names(java.util.stream.Stream<String> names) {
        return names.collect(Collectors.toSet());
    }
}
