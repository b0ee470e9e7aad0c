package dev.dragon.router.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dragon.core.bundle.Manifest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which groups serve each (layer, expert): the partition by default, or a configured placement. */
class GroupPlacementTest {

    private static final Manifest MANIFEST = ShippedExperts.bundle().manifest();

    @Test
    void byDefault_everyExpertIsServedByExactlyItsPartitionGroup() {
        GroupPlacement placement = GroupPlacement.of(MANIFEST, Map.of());

        assertThat(placement.groups()).containsExactlyInAnyOrder(
                MANIFEST.partition().groups().stream().map(g -> g.name()).toArray(String[]::new));
        assertThat(placement.unserved()).isEmpty();
        var arch = MANIFEST.architecture();
        for (int l = 0; l < arch.nLayers(); l++) {
            for (int e = 0; e < arch.routedExperts(); e++) {
                assertThat(placement.groupsServing(l, e)).containsExactly(MANIFEST.partition().groupOf(l, e).name());
            }
        }
    }

    @Test
    void aConfiguredPlacement_mayServeAnExpertFromSeveralGroups_andMayLeaveSomeUnserved() {
        GroupPlacement placement = GroupPlacement.of(MANIFEST, Map.of(
                "a", List.of(List.of(0, 1), List.of(2)),
                "b", List.of(List.of(1), List.of(), List.of(3))));

        assertThat(placement.groupsServing(0, 1)).containsExactlyInAnyOrder("a", "b");
        assertThat(placement.groupsServing(0, 0)).containsExactly("a");
        assertThat(placement.groupsServing(2, 3)).containsExactly("b");
        assertThat(placement.groupsServing(3, 0)).isEmpty();
        assertThat(placement.unserved()).contains("layer 3 expert 0").doesNotContain("layer 0 expert 1");
    }

    @Test
    void aPlacementNamingExpertsOrLayersThatDoNotExist_isRefusedNamingTheProperty() {
        assertThatThrownBy(() -> GroupPlacement.of(MANIFEST, Map.of("a", List.of(List.of(99)))))
                .hasMessageContaining("dragon.router.dispatch.placement.a[0]").hasMessageContaining("expert 99");
        List<List<Integer>> tooDeep = java.util.Collections.nCopies(MANIFEST.architecture().nLayers() + 1, List.of(0));
        assertThatThrownBy(() -> GroupPlacement.of(MANIFEST, Map.of("a", tooDeep)))
                .hasMessageContaining("layers given");
    }
}
