package dev.dragon.deploy.support;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Renders and lints helm/dragon with helm-java (Helm as a native library; no helm binary, no cluster). */
public final class Chart {

    public static final String RELEASE = "dragon";
    public static final String NAMESPACE = "dragon";
    /** The Kubernetes version rendered for (helm-java's default capabilities say 1.20). */
    public static final String KUBE_VERSION = "v1.32.0";

    private static final Map<Variant, Manifests> RENDERED = new EnumMap<>(Variant.class);

    private Chart() {
    }

    /** The objects `helm template` renders for a variant (rendered once per test JVM). */
    public static synchronized Manifests render(Variant variant) {
        return RENDERED.computeIfAbsent(variant, v -> Manifests.parse(template(v.valuesFiles(), Map.of())));
    }

    /** `helm template dragon helm/dragon -n dragon --kube-version 1.32 -f <files...> --set <sets...>`. */
    public static String template(List<Path> valuesFiles, Map<String, Object> sets) {
        var command = new Helm(Repo.chart()).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        valuesFiles.forEach(command::withValuesFile);
        sets.forEach(command::set);
        return command.call();
    }

    /**
     * `helm lint --strict` of the chart with the given values files layered over values.yaml. helm-java's
     * lint takes no values files, so the chart is copied and its values.yaml replaced by the merged values.
     */
    public static LintResult lint(List<Path> valuesFiles) {
        Path copy = copyChart();
        try {
            Object merged = Values.load(copy.resolve("values.yaml"));
            for (Path file : valuesFiles) {
                merged = Values.merge(merged, Values.load(file));
            }
            Files.writeString(copy.resolve("values.yaml"), Values.dump(merged));
            return new Helm(copy).lint().strict().call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path copyChart() {
        try {
            Path target = Files.createTempDirectory("dragon-chart").resolve("dragon");
            Path source = Repo.chart();
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : files.toList()) {
                    Path to = target.resolve(source.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(file, to);
                    }
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
