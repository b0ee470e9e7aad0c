package dev.dragon.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dragon.deploy.support.Chart;
import dev.dragon.deploy.support.Manifests;
import dev.dragon.deploy.support.Pods;
import dev.dragon.deploy.support.Repo;
import dev.dragon.deploy.support.Variant;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import io.kubernetes.client.openapi.models.V2MetricSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** expertGroups: one Deployment, Service, PDB and HPA (or ScaledObject) per group, discoverable by label. */
class ExpertGroupsTest {

    private static final String GROUP_LABEL = "dragon.dev/expert-group";

    @ParameterizedTest
    @EnumSource(value = Variant.class, names = {"DEFAULTS", "PRODUCTION", "KEDA", "CUSTOM_GROUPS"})
    void eachGroup_getsExactlyOneDeploymentServiceAndPdb_selectingOnlyItsPods(Variant variant) {
        Manifests manifests = Chart.render(variant);
        List<String> groups = groupsOf(variant);

        assertThat(manifests.deploymentsOf("expert")).hasSize(groups.size());
        for (String group : groups) {
            V1Deployment deployment = manifests.deploymentsOf("expert").stream()
                    .filter(d -> group.equals(Pods.podLabels(d).get(GROUP_LABEL))).collect(single());
            assertThat(deployment.getMetadata().getName()).isEqualTo("dragon-expert-" + group);
            assertThat(deployment.getSpec().getSelector().getMatchLabels()).containsEntry(GROUP_LABEL, group);
            assertThat(env(deployment)).containsEntry("DRAGON_EXPERT_GROUP", group);

            V1Service service = manifests.get(V1Service.class, "dragon-expert-" + group);
            assertThat(service.getSpec().getSelector()).containsEntry(GROUP_LABEL, group);
            assertThat(manifests.all(V1PodDisruptionBudget.class))
                    .filteredOn(pdb -> Pods.selects(pdb.getSpec().getSelector().getMatchLabels(), Pods.podLabels(deployment)))
                    .hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Variant.class, names = {"DEFAULTS", "PRODUCTION", "CUSTOM_GROUPS"})
    void expertServices_carryTheGroupLabel_forTheirEndpointSlices_andAGrpcPortByName(Variant variant) {
        Manifests manifests = Chart.render(variant);

        for (String group : groupsOf(variant)) {
            V1Service service = manifests.get(V1Service.class, "dragon-expert-" + group);
            // the EndpointSlice controller copies the Service's labels onto its slices; routers select by it
            assertThat(service.getMetadata().getLabels()).containsEntry(GROUP_LABEL, group);
            assertThat(service.getSpec().getClusterIP()).as("headless: clients balance over endpoints").isEqualTo("None");
            assertThat(service.getSpec().getPorts()).anySatisfy(port -> {
                assertThat(port.getName()).isEqualTo("grpc");
                assertThat(port.getPort()).isEqualTo(9092);
            });
        }
    }

    @ParameterizedTest
    @EnumSource(value = Variant.class, names = {"PRODUCTION", "CUSTOM_GROUPS"})
    void eachGroup_getsExactlyOneHpa_onItsOwnDeployment_withThePerGroupLoadMetric(Variant variant) {
        Manifests manifests = Chart.render(variant);
        List<V2HorizontalPodAutoscaler> expertHpas = manifests.all(V2HorizontalPodAutoscaler.class).stream()
                .filter(h -> "expert".equals(h.getMetadata().getLabels().get("app.kubernetes.io/component"))).toList();
        String metric = variant == Variant.CUSTOM_GROUPS ? "dragon_expert_rows_per_second" : "dragon_expert_inflight_calls";

        assertThat(expertHpas).hasSize(groupsOf(variant).size());
        for (String group : groupsOf(variant)) {
            V2HorizontalPodAutoscaler hpa = expertHpas.stream()
                    .filter(h -> h.getSpec().getScaleTargetRef().getName().equals("dragon-expert-" + group)).collect(single());
            assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
            V2MetricSpec spec = hpa.getSpec().getMetrics().getFirst();
            assertThat(spec.getType()).isEqualTo("Pods");
            assertThat(spec.getPods().getMetric().getName()).isEqualTo(metric);
            assertThat(spec.getPods().getTarget().getType()).isEqualTo("AverageValue");
            assertThat(hpa.getSpec().getMaxReplicas()).isGreaterThan(hpa.getSpec().getMinReplicas());
            // the HPA owns the replica count: the Deployment must not fight it on every upgrade
            assertThat(manifests.get(V1Deployment.class, "dragon-expert-" + group).getSpec().getReplicas()).isNull();
        }
    }

    @Test
    void aGroupsOwnAutoscalingValues_overrideTheExpertDefaults() {
        Manifests manifests = Chart.render(Variant.CUSTOM_GROUPS);

        assertThat(manifests.get(V2HorizontalPodAutoscaler.class, "dragon-expert-hot").getSpec().getMaxReplicas()).isEqualTo(3);
        assertThat(manifests.get(V2HorizontalPodAutoscaler.class, "dragon-expert-g0").getSpec().getMaxReplicas()).isEqualTo(8);
        assertThat(Pods.containers(manifests.get(V1Deployment.class, "dragon-expert-hot")).getFirst().getResources()
                .getLimits().get("cpu").toSuffixedString()).isEqualTo("1");
    }

    @Test
    void keda_replacesTheExpertGroupHpas_withOneScaledObjectPerGroup() {
        Manifests manifests = Chart.render(Variant.KEDA);
        List<Map<String, Object>> scaledObjects = manifests.custom("ScaledObject");

        assertThat(manifests.all(V2HorizontalPodAutoscaler.class))
                .noneMatch(h -> h.getSpec().getScaleTargetRef().getName().startsWith("dragon-expert-"));
        assertThat(scaledObjects.stream()
                .map(so -> String.valueOf(((Map<?, ?>) ((Map<?, ?>) so.get("spec")).get("scaleTargetRef")).get("name"))))
                .containsExactlyInAnyOrder("dragon-expert-g0", "dragon-expert-g1");
        for (Map<String, Object> scaledObject : scaledObjects) {
            String query = String.valueOf(trigger(scaledObject).get("query"));
            String group = String.valueOf(((Map<?, ?>) ((Map<?, ?>) scaledObject.get("metadata")).get("labels")).get(GROUP_LABEL));
            assertThat(query).contains("dragon_expert_inflight_calls").contains("group=\"" + group + "\"");
        }
    }

    @Test
    void explicitPlacements_goToEachGroup_asOneExpertListPerLayer_andAllTogetherToTheRouters() {
        Manifests manifests = Chart.render(Variant.CUSTOM_GROUPS);

        assertThat(Pods.containers(manifests.get(V1Deployment.class, "dragon-expert-hot")).getFirst().getArgs())
                .containsExactly("--dragon.expert.placement[0]=2,4", "--dragon.expert.placement[1]=5",
                        "--dragon.expert.placement[2]=1", "--dragon.expert.placement[3]=7");
        Object placement = ServiceConfigTest.property(ServiceConfigTest.config(manifests, "dragon-router"),
                "dragon.router.dispatch.placement");
        assertThat(placement).isEqualTo(Map.of(
                "g0", List.of(List.of(1, 2, 4, 5), List.of(0, 1, 3, 5), List.of(1, 2, 6, 7), List.of(0, 1, 3, 7)),
                "g1", List.of(List.of(0, 3, 6, 7), List.of(2, 4, 6, 7), List.of(0, 3, 4, 5), List.of(2, 4, 5, 6)),
                "hot", List.of(List.of(2, 4), List.of(5), List.of(1), List.of(7))));
    }

    @Test
    void withoutExplicitPlacements_groupsAndRoutersUseTheBundlesPartition() {
        Manifests manifests = Chart.render(Variant.DEFAULTS);

        assertThat(Pods.containers(manifests.get(V1Deployment.class, "dragon-expert-g0")).getFirst().getArgs()).isNullOrEmpty();
        assertThat(ServiceConfigTest.property(ServiceConfigTest.config(manifests, "dragon-router"),
                "dragon.router.dispatch.placement")).isNull();
    }

    @Test
    void aPlacementForSomeGroupsOnly_failsTheRender() {
        assertThatThrownBy(() -> Chart.template(List.of(Repo.testValues("partial-placement.yaml")), Map.of()))
                .hasMessageContaining("either every group sets `experts` or none does");
    }

    @Test
    void aGroupListedTwice_orWithAnInvalidName_failsTheRender() {
        assertThatThrownBy(() -> Chart.template(List.of(), Map.of("expertGroups[0].name", "g0", "expertGroups[1].name", "g0")))
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> Chart.template(List.of(), Map.of("expertGroups[0].name", "G_0")))
                .hasMessageContaining("not a valid group name");
    }

    private static List<String> groupsOf(Variant variant) {
        return variant == Variant.CUSTOM_GROUPS ? List.of("g0", "g1", "hot") : List.of("g0", "g1");
    }

    private static Map<String, String> env(V1Deployment deployment) {
        return Pods.containers(deployment).getFirst().getEnv().stream()
                .filter(e -> e.getValue() != null)
                .collect(java.util.stream.Collectors.toMap(V1EnvVar::getName, V1EnvVar::getValue));
    }

    private static Map<?, ?> trigger(Map<String, Object> scaledObject) {
        List<?> triggers = (List<?>) ((Map<?, ?>) scaledObject.get("spec")).get("triggers");
        assertThat(triggers).hasSize(1);
        return (Map<?, ?>) ((Map<?, ?>) triggers.getFirst()).get("metadata");
    }

    private static <T> java.util.stream.Collector<T, ?, T> single() {
        return java.util.stream.Collectors.collectingAndThen(java.util.stream.Collectors.toList(), list -> {
            assertThat(list).hasSize(1);
            return list.getFirst();
        });
    }
}
