package dev.dragon.expert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.contracts.v1.DescribeRequest;
import dev.dragon.contracts.v1.DescribeResponse;
import dev.dragon.expert.grpc.DispatchFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar runs on its own from the repository root exactly as documented
 * ({@code java -jar expert-service/target/expert-service-*.jar --dragon.expert.group=g1 --server.port=0
 * --spring.grpc.server.port=0}), logs the ports it bound, serves its group and shuts down gracefully.
 */
class StandaloneJarIT {

    private static final Pattern READY =
            Pattern.compile("expert-service ready: group=(\\S+) .* grpc\\.port=(\\d+) http\\.port=(\\d+)");

    @Test
    void jar_runsStandaloneFromTheRepositoryRoot_logsItsBoundPorts_andStopsGracefully() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path jar;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            jar = files.filter(p -> p.getFileName().toString().matches("expert-service-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no packaged jar in target/ (failsafe runs after package)"));
        }
        Path log = Path.of("target", "standalone-expert-service.log").toAbsolutePath();
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "-Xmx512m", "--enable-native-access=ALL-UNNAMED", "-jar",
                jar.toAbsolutePath().toString(), "--dragon.expert.group=g1", "--server.port=0",
                "--spring.grpc.server.port=0")
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Matcher m = Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                    .until(() -> readyLine(log, process), Optional::isPresent).orElseThrow();
            assertThat(m.group(1)).isEqualTo("g1");
            int grpcPort = Integer.parseInt(m.group(2));
            int httpPort = Integer.parseInt(m.group(3));
            assertThat(lines(log)).anySatisfy(l -> assertThat(l)
                    .endsWith("gRPC server (ExpertDispatch) listening on port " + grpcPort));

            try (DispatchFixture grpc = new DispatchFixture(grpcPort)) {
                DescribeResponse describe = grpc.stub().describe(DescribeRequest.getDefaultInstance());
                assertThat(describe.getGroup()).isEqualTo("g1");
                assertThat(describe.getReady()).isTrue();
                assertThat(describe.getServedCount()).isPositive();
            }
            HttpResponse<Void> readiness = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/actuator/health/readiness")).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(readiness.statusCode()).isEqualTo(200);

            process.destroy();                                           // SIGTERM: graceful shutdown
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
            assertThat(lines(log)).anySatisfy(l -> assertThat(l).contains("refuses new dispatch calls"));
        } catch (Exception | AssertionError e) {
            throw new AssertionError("standalone expert-service failed; its output:\n"
                    + String.join("\n", lines(log)), e);
        } finally {
            process.destroyForcibly();
        }
    }

    private static Optional<Matcher> readyLine(Path log, Process process) {
        if (!process.isAlive()) {
            throw new AssertionError("the process ended (exit " + process.exitValue() + ") before it was ready");
        }
        return lines(log).stream().map(READY::matcher).filter(Matcher::find).findFirst();
    }

    private static List<String> lines(Path log) {
        try {
            return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
