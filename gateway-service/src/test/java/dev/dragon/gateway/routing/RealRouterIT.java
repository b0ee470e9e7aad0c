package dev.dragon.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.gateway.testing.EmbeddedRedis;
import dev.dragon.gateway.testing.GatewayIT;
import dev.dragon.gateway.testing.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Real completions through the gateway to router-service: the router's packaged jar launched as a process
 * ({@code dragon.router.dispatch.mode=local}, experts in-process) over the shipped model bundle. Services do
 * not depend on each other in Maven, so the jar is found next to this module
 * ({@code ../router-service/target/router-service-<version>.jar}); a missing jar or bundle fails the test
 * with the command that builds it.
 */
class RealRouterIT extends GatewayIT {

    private static final Path BUNDLE = Path.of("..", "models", "dragon-moe-mini");
    private static final Duration STARTUP = Duration.ofMinutes(10);
    private static final RouterProcess ROUTER_PROCESS = RouterProcess.start();

    @DynamicPropertySource
    static void realRouter(DynamicPropertyRegistry registry) {
        registry.add(UPSTREAM, () -> "http://127.0.0.1:" + ROUTER_PROCESS.port);
    }

    @AfterAll
    static void stopRouter() {
        ROUTER_PROCESS.stop();
    }

    @Test
    void chatCompletion_throughTheGateway_isAnsweredByTheRealRouter() {
        String key = newKey(uniqueTenant("real"));
        HttpResponse<String> response = Http.chat(port, key, "dragon-moe-mini", 8);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = Http.json(response);
        assertThat(body.path("id").asString()).startsWith("chatcmpl-");
        assertThat(body.path("choices").get(0).path("message").path("role").asString()).isEqualTo("assistant");
        assertThat(body.path("usage").path("completion_tokens").asInt()).isBetween(1, 8);
        assertThat(response.headers().firstValue("x-dragon-model-version")).isPresent();
        assertThat(response.headers().allValues("x-dragon-request-id")).hasSize(1);
        assertThat(response.headers().firstValue("x-ratelimit-remaining-tokens")).isPresent();
    }

    @Test
    void streamedCompletion_throughTheGateway_isFramedLikeOpenAi_withoutTheUsageChunkNobodyAskedFor() {
        String key = newKey(uniqueTenant("realsse"));
        HttpResponse<String> response = Http.send(Http.to(port, "/v1/chat/completions")
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Http.chatBody("dragon-moe-mini", 6, true))).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> data = response.body().lines().filter(l -> l.startsWith("data:"))
                .map(l -> l.substring(5).strip()).toList();
        assertThat(data.get(0)).contains("\"role\":\"assistant\"");
        assertThat(data).last().isEqualTo("[DONE]");
        assertThat(data).anyMatch(d -> d.contains("\"finish_reason\":\"length\"") || d.contains("\"finish_reason\":\"stop\""));
        // the gateway asked the router for usage (to charge the token budget) and removed that chunk again
        assertThat(data).noneMatch(d -> d.contains("\"usage\":{"));
    }

    /** router-service's jar running on a free port. */
    private static final class RouterProcess {
        private final Process process;
        private final int port;
        private final Path log;

        private RouterProcess(Process process, int port, Path log) {
            this.process = process;
            this.port = port;
            this.log = log;
        }

        static RouterProcess start() {
            if (!Files.isRegularFile(BUNDLE.resolve("manifest.json"))) {
                throw new IllegalStateException("the shipped bundle is missing at " + BUNDLE.toAbsolutePath());
            }
            int port = EmbeddedRedis.freePort();
            try {
                // a private copy: a rebuild of router-service must not change the jar under the running process
                Path jar = Files.createTempFile("router-service-", ".jar");
                Files.copy(routerJar(), jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                jar.toFile().deleteOnExit();
                Path log = Files.createTempFile("router-service-", ".log");
                String java = ProcessHandle.current().info().command().orElse("java");
                Process process = new ProcessBuilder(java, "-Xmx1g", "--enable-native-access=ALL-UNNAMED", "-jar",
                        jar.toString(), "--server.port=" + port, "--dragon.router.dispatch.mode=local",
                        "--dragon.router.model.bundle-path=" + BUNDLE.toAbsolutePath().normalize(),
                        "--dragon.router.engine.ort-threads=1", "--dragon.router.cache.enabled=false",
                        "--management.server.port=0", "--logging.level.root=WARN")
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
                RouterProcess router = new RouterProcess(process, port, log);
                router.awaitReady();
                return router;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void awaitReady() {
            Instant deadline = Instant.now().plus(STARTUP);
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("router-service exited with " + process.exitValue() + "; log: " + tail());
                }
                try {
                    if (Http.get(port, "/v1/models", null).statusCode() == 200) {
                        return;
                    }
                } catch (UncheckedIOException notYet) {
                    // not listening yet
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            stop();
            throw new IllegalStateException("router-service not ready within " + STARTUP + "; log: " + tail());
        }

        private String tail() {
            try {
                List<String> lines = Files.readAllLines(log);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            } catch (IOException e) {
                return e.toString();
            }
        }

        void stop() {
            process.destroy();
            try {
                if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }

        private static String missingJar(Path target) {
            return "no router-service jar in " + target.toAbsolutePath().normalize() + "; build it first: "
                    + "JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 ./mvnw -B -o -pl router-service -am package -DskipTests";
        }

        private static Path routerJar() {
            Path target = Path.of("..", "router-service", "target");
            try (Stream<Path> files = Files.list(target)) {
                // the repackaged application jar only (no -sources/-tests/-plain classifier jars)
                return files.filter(p -> p.getFileName().toString().matches("router-service-[0-9][0-9.]*(-SNAPSHOT)?\\.jar"))
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException(missingJar(target)));
            } catch (IOException e) {
                throw new UncheckedIOException(missingJar(target), e);
            }
        }
    }
}
