package dev.dragon.deploy.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.deploy.support.Chart;
import dev.dragon.deploy.support.Pods;
import dev.dragon.deploy.support.Repo;
import dev.dragon.deploy.support.Values;
import dev.dragon.deploy.support.Variant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** deploy/docker builds an image for every service the chart runs, as the user the chart runs it as. */
class ContainerBuildTest {

    private static final Path DOCKER = Repo.root().resolve("deploy/docker");

    @Test
    void serviceImages_runAsTheNumericNonRootUserOfThePodSecurityContext_withAnExecFormEntrypoint() throws IOException {
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
        Map<?, ?> pod = (Map<?, ?>) ((Map<?, ?>) Values.load(Repo.chart().resolve("values.yaml"))).get("podSecurityContext");

        assertThat(lastInstruction(dockerfile, "USER")).isEqualTo(pod.get("runAsUser") + ":" + pod.get("runAsGroup"));
        assertThat((Integer) pod.get("runAsUser")).isPositive();
        // exec form: SIGTERM reaches the JVM, so graceful shutdown drains streams
        assertThat(lastInstruction(dockerfile, "ENTRYPOINT")).startsWith("[\"java\"");
    }

    @Test
    void theModelImage_putsTheBundleWhereTheInitContainerCopiesFrom_asANonRootUser() throws IOException {
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile.model"));
        Map<?, ?> model = (Map<?, ?>) ((Map<?, ?>) Values.load(Repo.chart().resolve("values.yaml"))).get("model");
        String bundlePath = String.valueOf(((Map<?, ?>) model.get("image")).get("path"));

        assertThat(lastInstruction(dockerfile, "COPY")).isEqualTo(". " + bundlePath + "/");
        assertThat(lastInstruction(dockerfile, "USER")).doesNotStartWith("0").doesNotStartWith("root");
        assertThat(Repo.root().resolve("models").resolve(String.valueOf(model.get("name")))).isDirectory();
    }

    @Test
    void everyImageTheChartRuns_isAServiceModuleThatTheBuildScriptBuilds() throws IOException {
        String script = Files.readString(DOCKER.resolve("build-images.sh"));
        String rootPom = Files.readString(Repo.root().resolve("pom.xml"));
        Set<String> images = new TreeSet<>();
        Chart.render(Variant.DEFAULTS).deployments().forEach(d -> Pods.containers(d)
                .forEach(c -> images.add(c.getImage().replaceAll("^.*/([^/:]+):.*$", "$1"))));

        assertThat(images).containsExactlyInAnyOrder("gateway-service", "router-service", "expert-service",
                "cache-service", "online-learning-service");
        for (String service : images) {
            assertThat(rootPom).contains("<module>" + service + "</module>");
            assertThat(Files.readString(Repo.root().resolve(service).resolve("pom.xml")))
                    .as("%s is packaged as a Spring Boot jar", service).contains("spring-boot-maven-plugin");
            assertThat(script).contains(service);
        }
        assertThat(Files.isExecutable(DOCKER.resolve("build-images.sh"))).isTrue();
    }

    /** The arguments of the last instruction of that name in a Dockerfile. */
    private static String lastInstruction(String dockerfile, String instruction) {
        Matcher matcher = Pattern.compile("(?m)^" + instruction + "\\s+(.+)$").matcher(dockerfile);
        List<String> found = matcher.results().map(r -> r.group(1).strip()).toList();
        assertThat(found).as("%s instructions", instruction).isNotEmpty();
        return found.getLast();
    }
}
