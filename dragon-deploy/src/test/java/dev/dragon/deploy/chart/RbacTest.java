package dev.dragon.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.deploy.support.Chart;
import dev.dragon.deploy.support.Manifests;
import dev.dragon.deploy.support.Pods;
import dev.dragon.deploy.support.Variant;
import io.kubernetes.client.openapi.models.RbacV1Subject;
import io.kubernetes.client.openapi.models.V1ClusterRole;
import io.kubernetes.client.openapi.models.V1ClusterRoleBinding;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1PolicyRule;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The router (and only the router) may watch EndpointSlices in its namespace, for expert discovery. */
class RbacTest {

    @ParameterizedTest
    @EnumSource(Variant.class)
    void theRoutersServiceAccount_mayGetListAndWatchEndpointSlices_inItsNamespace(Variant variant) {
        Manifests manifests = Chart.render(variant);
        String account = Pods.podSpec(manifests.get(V1Deployment.class, "dragon-router")).getServiceAccountName();

        List<V1PolicyRule> rules = rulesBoundTo(manifests, account);

        assertThat(rules).anySatisfy(rule -> {
            assertThat(rule.getApiGroups()).contains("discovery.k8s.io");
            assertThat(rule.getResources()).contains("endpointslices");
            assertThat(rule.getVerbs()).contains("get", "list", "watch");
        });
        assertThat(rules).allSatisfy(rule -> assertThat(rule.getVerbs()).as("read-only")
                .doesNotContain("create", "update", "patch", "delete", "deletecollection", "*"));
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void noOtherServiceAccount_isBoundToAnyRole_andNothingIsClusterWide(Variant variant) {
        Manifests manifests = Chart.render(variant);
        String routerAccount = Pods.podSpec(manifests.get(V1Deployment.class, "dragon-router")).getServiceAccountName();

        assertThat(manifests.all(V1ClusterRole.class)).isEmpty();
        assertThat(manifests.all(V1ClusterRoleBinding.class)).isEmpty();
        assertThat(manifests.all(V1RoleBinding.class)).flatExtracting(V1RoleBinding::getSubjects)
                .extracting(RbacV1Subject::getName).containsOnly(routerAccount);
    }

    private static List<V1PolicyRule> rulesBoundTo(Manifests manifests, String account) {
        return manifests.all(V1RoleBinding.class).stream()
                .filter(b -> b.getSubjects().stream().anyMatch(s -> "ServiceAccount".equals(s.getKind())
                        && account.equals(s.getName()) && Chart.NAMESPACE.equals(s.getNamespace())))
                .filter(b -> "Role".equals(b.getRoleRef().getKind()))
                .map(b -> manifests.get(V1Role.class, b.getRoleRef().getName()))
                .flatMap(role -> role.getRules().stream())
                .toList();
    }
}
