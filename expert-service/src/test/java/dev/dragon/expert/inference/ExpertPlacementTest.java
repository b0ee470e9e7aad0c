package dev.dragon.expert.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dragon.core.bundle.Manifest;
import dev.dragon.core.bundle.ModelBundle;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which experts a replica loads: its partition group, or an explicit placement; mistakes name the property. */
class ExpertPlacementTest {

    private static final Manifest MANIFEST = ModelBundle.open(Path.of("..", "models", "dragon-moe-mini")).manifest();

    @Test
    void resolve_takesTheGroupsExpertsFromThePartition_whenNoPlacementIsGiven() {
        for (var group : MANIFEST.partition().groups()) {
            ExpertPlacement placement = ExpertPlacement.resolve(group.name(), List.of(), MANIFEST);

            assertThat(placement.group()).isEqualTo(group.name());
            assertThat(placement.layers()).isEqualTo(MANIFEST.architecture().nLayers());
            for (int l = 0; l < placement.layers(); l++) {
                for (int e = 0; e < MANIFEST.architecture().routedExperts(); e++) {
                    assertThat(placement.includes(l, e)).as("layer %d expert %d", l, e).isEqualTo(group.serves(l, e));
                }
            }
        }
    }

    @Test
    void resolve_usesAnExplicitPlacement_andLeavesLayersNotGivenEmpty() {
        ExpertPlacement placement = ExpertPlacement.resolve("hot", List.of(List.of(3, 1), List.of(), List.of(7)),
                MANIFEST);

        assertThat(placement.perLayer().get(0)).containsExactly(1, 3);
        assertThat(placement.perLayer().get(2)).containsExactly(7);
        assertThat(placement.perLayer().get(3)).isEmpty();
        assertThat(placement.size()).isEqualTo(3);
        assertThat(placement.includes(1, 3)).isFalse();
        assertThat(placement.includes(-1, 3)).isFalse();
        assertThat(placement.includes(4, 3)).isFalse();
    }

    @Test
    void resolve_refusesAGroupNotInThePartition_namingTheProperty() {
        assertThatThrownBy(() -> ExpertPlacement.resolve("g7", List.of(), MANIFEST))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dragon.expert.group").hasMessageContaining("g7").hasMessageContaining("g0");
    }

    @Test
    void resolve_refusesExpertsThatDoNotExist_namingTheLayer() {
        assertThatThrownBy(() -> ExpertPlacement.resolve("hot", List.of(List.of(0), List.of(8)), MANIFEST))
                .hasMessageContaining("dragon.expert.placement[1]").hasMessageContaining("expert 8");
    }

    @Test
    void resolve_refusesMoreLayersThanTheModelHas_andAnEmptyPlacement() {
        List<List<Integer>> five = List.of(List.of(0), List.of(0), List.of(0), List.of(0), List.of(0));
        assertThatThrownBy(() -> ExpertPlacement.resolve("hot", five, MANIFEST))
                .hasMessageContaining("5 layers given");
        assertThatThrownBy(() -> ExpertPlacement.resolve("hot", List.of(List.of(), List.of()), MANIFEST))
                .hasMessageContaining("places no expert");
    }
}
