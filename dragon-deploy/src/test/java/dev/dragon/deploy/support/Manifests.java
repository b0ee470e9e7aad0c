package dev.dragon.deploy.support;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1Deployment;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * The objects of one rendering. Every document is parsed with the Kubernetes Java client's models
 * ({@link io.kubernetes.client.util.Yaml}); custom resources the client has no model for
 * (ServiceMonitor, PrometheusRule, ScaledObject) are kept as plain maps.
 */
public final class Manifests {

    /** API groups of the custom resources the chart may render. */
    private static final Set<String> CUSTOM_GROUPS = Set.of("monitoring.coreos.com", "keda.sh");
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

    /** One rendered object: its raw map, and the typed model unless it is a custom resource. */
    public record Manifest(String apiVersion, String kind, String name, Map<String, Object> raw,
                           KubernetesObject typed) {
    }

    private final List<Manifest> manifests;

    private Manifests(List<Manifest> manifests) {
        this.manifests = List.copyOf(manifests);
    }

    @SuppressWarnings("unchecked")
    public static Manifests parse(String rendered) {
        List<Manifest> parsed = new ArrayList<>();
        for (String document : DOCUMENT_SEPARATOR.split(rendered)) {
            Object loaded = new Yaml().load(document);
            if (loaded == null) {
                continue;
            }
            Map<String, Object> raw = (Map<String, Object>) loaded;
            String apiVersion = (String) raw.get("apiVersion");
            String kind = (String) raw.get("kind");
            String name = (String) ((Map<String, Object>) raw.get("metadata")).get("name");
            KubernetesObject typed = isCustom(apiVersion) ? null : typed(document, kind, name);
            parsed.add(new Manifest(apiVersion, kind, name, raw, typed));
        }
        return new Manifests(parsed);
    }

    private static boolean isCustom(String apiVersion) {
        return apiVersion.contains("/") && CUSTOM_GROUPS.contains(apiVersion.substring(0, apiVersion.indexOf('/')));
    }

    private static KubernetesObject typed(String document, String kind, String name) {
        try {
            return (KubernetesObject) io.kubernetes.client.util.Yaml.load(document);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the Kubernetes client cannot parse " + kind + "/" + name, e);
        }
    }

    public List<Manifest> all() {
        return manifests;
    }

    /** Typed objects of one model class. */
    public <T extends KubernetesObject> List<T> all(Class<T> type) {
        return manifests.stream().map(Manifest::typed).filter(type::isInstance).map(type::cast).toList();
    }

    public <T extends KubernetesObject> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }

    public <T extends KubernetesObject> T get(Class<T> type, String name) {
        return find(type, name).orElseThrow(
                () -> new AssertionError("no " + type.getSimpleName() + " named " + name + " was rendered"));
    }

    /** Raw maps of the custom resources of one kind. */
    public List<Map<String, Object>> custom(String kind) {
        return manifests.stream().filter(m -> m.typed() == null && m.kind().equals(kind)).map(Manifest::raw).toList();
    }

    public List<V1Deployment> deployments() {
        return all(V1Deployment.class);
    }

    /** The Deployment of a component (its app.kubernetes.io/component label); experts have one per group. */
    public List<V1Deployment> deploymentsOf(String component) {
        return deployments().stream()
                .filter(d -> component.equals(d.getMetadata().getLabels().get("app.kubernetes.io/component")))
                .toList();
    }
}
