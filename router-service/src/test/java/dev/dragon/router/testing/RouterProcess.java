package dev.dragon.router.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * router-service's own jar ({@code target/router-service-*.jar}, built by the package phase that runs before
 * failsafe) started as a separate process on a free port with the shipped bundle: a router that shares nothing
 * with the test JVM (a restart, or another replica). Its output goes to {@code target/<name>.log}.
 */
public final class RouterProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    private RouterProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the jar with {@code args} ({@code --property=value}) and waits until it is ready. */
    public static RouterProcess start(String name, String... args) {
        Path jar = jar();
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(), "--server.port=" + port,
                "--dragon.router.model.bundle-path=" + ShippedBundle.DIR, "--dragon.router.engine.ort-threads=2"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(Path.of("target", name + ".log").toFile()).start();
            RouterProcess router = new RouterProcess(p, port);
            ApiClient api = new ApiClient(port);
            await(name + " ready on port " + port).atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions().until(() -> {
                        if (!p.isAlive()) {
                            throw new IllegalStateException(name + " exited: see target/" + name + ".log");
                        }
                        HttpResponse<String> r = api.get("/actuator/health/readiness");
                        return r.statusCode() == 200;
                    });
            return router;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    private static Path jar() {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(f -> f.getFileName().toString().matches("router-service-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no target/router-service-*.jar: run "
                            + "./mvnw -pl router-service -am verify (the jar is packaged before the integration tests)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
