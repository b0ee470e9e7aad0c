package dev.dragon.deploy.kustomize;

import dev.dragon.deploy.support.Chart;
import dev.dragon.deploy.support.Repo;
import dev.dragon.deploy.support.Variant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * k8s/base is `helm template dragon helm/dragon -n dragon` of the default values without Helm's own labels,
 * one file per component. {@link #main} writes it; KustomizeBaseTest checks it has not drifted.
 *
 * <pre>./mvnw -pl dragon-deploy test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.dragon.deploy.kustomize.KustomizeBase</pre>
 */
public final class KustomizeBase {

    /** Labels only Helm adds; the plain manifests leave them out. */
    static final Set<String> HELM_LABELS = Set.of("helm.sh/chart", "app.kubernetes.io/managed-by");
    static final String HEADER = """
            # Generated from helm/dragon with its default values (helm template dragon helm/dragon -n dragon),
            # Helm's own labels removed. Do not edit: change the chart and regenerate (dragon-deploy/README.md);
            # KustomizeBaseTest fails when this file and the chart disagree.
            """;
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

    private KustomizeBase() {
    }

    public static void main(String[] args) throws IOException {
        Path base = Repo.kustomizeBase();
        Files.createDirectories(base);
        Map<String, List<Map<String, Object>>> files = byFile(fromChart());
        try (var old = Files.list(base)) {
            for (Path file : old.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                Files.delete(file);
            }
        }
        for (var entry : files.entrySet()) {
            StringBuilder text = new StringBuilder(HEADER);
            for (Map<String, Object> object : entry.getValue()) {
                text.append("---\n").append(yaml().dump(object));
            }
            Files.writeString(base.resolve(entry.getKey()), text.toString());
        }
        Map<String, Object> kustomization = new LinkedHashMap<>();
        kustomization.put("apiVersion", "kustomize.config.k8s.io/v1beta1");
        kustomization.put("kind", "Kustomization");
        kustomization.put("resources", new ArrayList<>(files.keySet()));
        Files.writeString(base.resolve("kustomization.yaml"), HEADER + yaml().dump(kustomization));
        System.out.println("wrote " + files.keySet() + " and kustomization.yaml to " + base);
    }

    /** The chart's default objects, Helm labels removed. */
    static List<Map<String, Object>> fromChart() {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Map<String, Object> object : load(Chart.template(Variant.DEFAULTS.valuesFiles(), Map.of()))) {
            objects.add(withoutHelmLabels(object));
        }
        return objects;
    }

    /** The objects of k8s/base, by file (kustomization.yaml excluded). */
    static Map<String, List<Map<String, Object>>> fromBase() {
        Map<String, List<Map<String, Object>>> files = new TreeMap<>();
        try (var list = Files.list(Repo.kustomizeBase())) {
            for (Path file : list.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                if (!file.getFileName().toString().equals("kustomization.yaml")) {
                    files.put(file.getFileName().toString(), load(Files.readString(file)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** One file per component label (dashboards and objects of no component in their own files). */
    static Map<String, List<Map<String, Object>>> byFile(List<Map<String, Object>> objects) {
        Map<String, List<Map<String, Object>>> files = new TreeMap<>();
        for (Map<String, Object> object : objects) {
            Map<?, ?> labels = (Map<?, ?>) ((Map<?, ?>) object.get("metadata")).get("labels");
            Object component = labels == null ? null : labels.get("app.kubernetes.io/component");
            String file = component != null ? component + ".yaml"
                    : labels != null && labels.containsKey("grafana_dashboard") ? "dashboards.yaml" : "platform.yaml";
            files.computeIfAbsent(file, f -> new ArrayList<>()).add(object);
        }
        return files;
    }

    /** "Kind namespace/name", the identity of an object. */
    static String identity(Map<String, Object> object) {
        Map<?, ?> metadata = (Map<?, ?>) object.get("metadata");
        return object.get("kind") + " " + metadata.get("namespace") + "/" + metadata.get("name");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> load(String yaml) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (String document : DOCUMENT_SEPARATOR.split(yaml)) {
            Object loaded = new Yaml().load(document);
            if (loaded != null) {
                objects.add((Map<String, Object>) loaded);
            }
        }
        return objects;
    }

    /** A copy without Helm's labels on any metadata (the object's and its pod template's). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> withoutHelmLabels(Map<String, Object> object) {
        Map<String, Object> copy = new LinkedHashMap<>();
        object.forEach((key, value) -> {
            if (value instanceof Map<?, ?> map) {
                Map<String, Object> child = withoutHelmLabels((Map<String, Object>) map);
                if (key.equals("labels")) {
                    HELM_LABELS.forEach(child::remove);
                }
                copy.put(key, child);
            } else if (value instanceof List<?> list) {
                copy.put(key, list.stream().map(item -> item instanceof Map<?, ?> m
                        ? withoutHelmLabels((Map<String, Object>) m) : item).toList());
            } else {
                copy.put(key, value);
            }
        });
        return copy;
    }

    /** Block style; multi-line strings (application.yaml, dashboards) as literal blocks. */
    private static Yaml yaml() {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setWidth(140);
        options.setSplitLines(false);
        Representer representer = new Representer(options) {
            {
                this.representers.put(String.class, data -> {
                    String text = (String) data;
                    return representScalar(Tag.STR, text,
                            text.contains("\n") ? DumperOptions.ScalarStyle.LITERAL : DumperOptions.ScalarStyle.PLAIN);
                });
            }
        };
        return new Yaml(representer, options);
    }
}
