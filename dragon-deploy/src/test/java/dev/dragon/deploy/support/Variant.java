package dev.dragon.deploy.support;

import java.nio.file.Path;
import java.util.List;

/**
 * A way to install the chart: the values files layered over the chart's values.yaml, in order.
 * Invariant tests run against every variant.
 */
public enum Variant {
    DEFAULTS(List.of()),
    PRODUCTION(List.of(Repo.productionValues())),
    /** Production with KEDA ScaledObjects instead of HPAs for the expert groups. */
    KEDA(List.of(Repo.productionValues(), Repo.testValues("keda.yaml"))),
    /** Three groups, one with an explicit placement, HPAs on rows/s, the bundle from a PVC. */
    CUSTOM_GROUPS(List.of(Repo.testValues("custom-groups.yaml"))),
    /** Everything optional switched on over the defaults (monitoring objects, autoscaling, admin peers). */
    ALL_FEATURES(List.of(Repo.testValues("all-features.yaml")));

    private final List<Path> valuesFiles;

    Variant(List<Path> valuesFiles) {
        this.valuesFiles = valuesFiles;
    }

    public List<Path> valuesFiles() {
        return valuesFiles;
    }
}
