package dev.dragon.deploy.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the deployment artefacts, relative to the repository root (the module's parent directory). */
public final class Repo {

    private Repo() {
    }

    /** The repository root: the working directory (exec:java) or its parent (tests run in the module). */
    public static Path root() {
        Path here = Path.of("").toAbsolutePath();
        for (Path candidate : new Path[] {here, here.getParent()}) {
            if (candidate != null && Files.isDirectory(candidate.resolve("helm/dragon"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("neither " + here + " nor its parent holds helm/dragon");
    }

    public static Path chart() {
        return root().resolve("helm/dragon");
    }

    public static Path productionValues() {
        return chart().resolve("values-production.yaml");
    }

    public static Path alertRules() {
        return chart().resolve("rules/dragon-alerts.yaml");
    }

    public static Path alertTests() {
        return chart().resolve("tests/dragon-alerts-test.yaml");
    }

    public static Path dashboards() {
        return chart().resolve("dashboards");
    }

    public static Path metricsCatalogue() {
        return root().resolve("docs/metrics.md");
    }

    public static Path operationsGuide() {
        return root().resolve("docs/operations.md");
    }

    public static Path kustomizeBase() {
        return root().resolve("k8s/base");
    }

    public static Path kustomizeLocalOverlay() {
        return root().resolve("k8s/overlays/local");
    }

    /** A values file of the test resources (src/test/resources/values). */
    public static Path testValues(String name) {
        return root().resolve("dragon-deploy/src/test/resources/values").resolve(name);
    }
}
