package dev.dragon.deploy.kustomize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.deploy.support.Repo;
import dev.dragon.deploy.support.Values;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** k8s/base stays what the chart renders with its default values (ignoring Helm's own labels). */
class KustomizeBaseTest {

    private static final String REGENERATE = "k8s/base differs from the chart's defaults; regenerate it: ./mvnw -pl "
            + "dragon-deploy test-compile org.codehaus.mojo:exec-maven-plugin:java -Dexec.classpathScope=test "
            + "-Dexec.mainClass=dev.dragon.deploy.kustomize.KustomizeBase";

    @Test
    void theBase_holdsExactlyTheObjectsOfHelmTemplate_withTheSameContent() {
        Map<String, Map<String, Object>> rendered = byIdentity(KustomizeBase.fromChart());
        Map<String, Map<String, Object>> base = byIdentity(
                KustomizeBase.fromBase().values().stream().flatMap(List::stream).toList());

        assertThat(base.keySet()).as(REGENERATE).isEqualTo(rendered.keySet());
        rendered.forEach((identity, object) -> assertThat(difference(base.get(identity), object, ""))
                .as(identity + ": " + REGENERATE).isEmpty());
    }

    @Test
    void theBase_carriesNoHelmLabels() {
        for (List<Map<String, Object>> objects : KustomizeBase.fromBase().values()) {
            for (Map<String, Object> object : objects) {
                assertThat(difference(object, KustomizeBase.withoutHelmLabels(object), ""))
                        .as(KustomizeBase.identity(object)).isEmpty();
            }
        }
    }

    @Test
    void theKustomization_listsEveryFileOfTheBase() {
        Map<?, ?> kustomization = (Map<?, ?>) Values.load(Repo.kustomizeBase().resolve("kustomization.yaml"));

        assertThat(((List<?>) kustomization.get("resources")).stream().map(String::valueOf).toList()).as(REGENERATE)
                .containsExactlyInAnyOrderElementsOf(KustomizeBase.fromBase().keySet());
    }

    /** The path of the first difference between two parsed YAML trees, with both values; "" when equal. */
    static String difference(Object actual, Object expected, String path) {
        if (actual instanceof Map<?, ?> a && expected instanceof Map<?, ?> e) {
            for (Object key : union(a.keySet(), e.keySet())) {
                String found = difference(a.get(key), e.get(key), path + "." + key);
                if (!found.isEmpty()) {
                    return found;
                }
            }
            return "";
        }
        if (actual instanceof List<?> a && expected instanceof List<?> e && a.size() == e.size()) {
            for (int i = 0; i < a.size(); i++) {
                String found = difference(a.get(i), e.get(i), path + "[" + i + "]");
                if (!found.isEmpty()) {
                    return found;
                }
            }
            return "";
        }
        return java.util.Objects.equals(actual, expected) ? ""
                : path + ": base has " + actual + ", the chart renders " + expected;
    }

    private static java.util.Set<Object> union(java.util.Set<?> a, java.util.Set<?> b) {
        java.util.Set<Object> union = new java.util.LinkedHashSet<>(a);
        union.addAll(b);
        return union;
    }

    private static Map<String, Map<String, Object>> byIdentity(List<Map<String, Object>> objects) {
        Map<String, Map<String, Object>> byIdentity = objects.stream()
                .collect(Collectors.toMap(KustomizeBase::identity, o -> o, (a, b) -> {
                    throw new AssertionError("two objects named " + KustomizeBase.identity(a));
                }, TreeMap::new));
        assertThat(byIdentity).hasSize(objects.size());
        return byIdentity;
    }
}
