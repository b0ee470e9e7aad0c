package dev.dragon.deploy.kustomize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.deploy.support.Repo;
import dev.dragon.deploy.support.Values;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * k8s/overlays/local is consistent with the base (no kustomize binary here): its files exist, its patches
 * and image rewrites hit objects and images of the base, its Secret has every key the pods read, and its
 * Redis and Kafka answer where the base's configuration looks for them.
 */
class LocalOverlayTest {

    private final Path overlay = Repo.kustomizeLocalOverlay();
    private final Map<?, ?> kustomization = (Map<?, ?>) Values.load(overlay.resolve("kustomization.yaml"));
    private final List<Map<String, Object>> base = KustomizeBase.fromBase().values().stream().flatMap(List::stream).toList();

    @Test
    void everyResourceAndPatch_exists_andEveryPatchTargetsAnObjectOfTheBase() {
        for (Object resource : (List<?>) kustomization.get("resources")) {
            assertThat(overlay.resolve(resource.toString())).as("resource %s", resource).exists();
        }
        Set<String> baseObjects = new TreeSet<>();
        base.forEach(o -> baseObjects.add(KustomizeBase.identity(o)));
        for (Object patch : (List<?>) kustomization.get("patches")) {
            Path file = overlay.resolve(String.valueOf(((Map<?, ?>) patch).get("path")));
            for (Map<String, Object> target : KustomizeBase.load(read(file))) {
                assertThat(baseObjects).as("patch %s", file.getFileName()).contains(KustomizeBase.identity(target));
            }
        }
    }

    @Test
    void theImageRewrites_coverEveryImageOfTheBase() {
        Set<String> rewritten = new TreeSet<>();
        for (Object image : (List<?>) kustomization.get("images")) {
            rewritten.add(String.valueOf(((Map<?, ?>) image).get("name")));
        }

        assertThat(rewritten).isEqualTo(imagesOfTheBase());
    }

    @Test
    void theDevelopmentSecret_hasEveryKeyThePodsRead() {
        Set<String> generated = new TreeSet<>();
        for (Object generator : (List<?>) kustomization.get("secretGenerator")) {
            Map<?, ?> secret = (Map<?, ?>) generator;
            assertThat(secret.get("name")).isEqualTo("dragon-secrets");
            for (Object literal : (List<?>) secret.get("literals")) {
                generated.add(literal.toString().substring(0, literal.toString().indexOf('=')));
            }
        }

        Set<String> read = new TreeSet<>();
        base.forEach(object -> collectSecretKeys(object, read));

        assertThat(read).contains("gateway-auth-pepper", "gateway-admin-token", "adapter-signing-key");
        assertThat(generated).containsAll(read);
    }

    @Test
    void theDevelopmentRedisAndKafka_listenWhereTheBaseLooksForThem() {
        List<Map<String, Object>> local = new ArrayList<>(KustomizeBase.load(read(overlay.resolve("redis.yaml"))));
        local.addAll(KustomizeBase.load(read(overlay.resolve("kafka.yaml"))));
        Set<String> services = new TreeSet<>();
        for (Map<String, Object> object : local) {
            if (object.get("kind").equals("Service")) {
                String name = String.valueOf(((Map<?, ?>) object.get("metadata")).get("name"));
                for (Object port : (List<?>) ((Map<?, ?>) object.get("spec")).get("ports")) {
                    services.add(name + ":" + ((Map<?, ?>) port).get("port"));
                }
            }
        }
        String configs = String.join("\n", base.stream().filter(o -> o.get("kind").equals("ConfigMap"))
                .map(o -> String.valueOf(((Map<?, ?>) o.get("data")).get("application.yaml"))).toList());

        assertThat(configs).contains("host: redis\n", "port: 6379\n", "bootstrap-servers: kafka:9092\n");
        assertThat(services).contains("redis:6379", "kafka:9092");
    }

    private Set<String> imagesOfTheBase() {
        return matches(Pattern.compile("(?m)^\\s+image: (\\S+):\\S+$"), String.join("\n",
                KustomizeBase.fromBase().keySet().stream().map(f -> read(Repo.kustomizeBase().resolve(f))).toList()));
    }

    /** Keys of every secretKeyRef to dragon-secrets in a parsed object. */
    private static void collectSecretKeys(Object node, Set<String> keys) {
        if (node instanceof Map<?, ?> map) {
            if (map.get("secretKeyRef") instanceof Map<?, ?> ref && "dragon-secrets".equals(ref.get("name"))) {
                keys.add(String.valueOf(ref.get("key")));
            }
            map.values().forEach(value -> collectSecretKeys(value, keys));
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collectSecretKeys(item, keys));
        }
    }

    private static Set<String> matches(Pattern pattern, String text) {
        Set<String> found = new TreeSet<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
