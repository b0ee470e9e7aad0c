package dev.dragon.router.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A real Redis server (the machine's {@code /usr/bin/redis-server}) on a random free loopback port, in memory
 * only; {@link #stop()} kills it and {@link #start()} brings a new one up on the same port (its data gone).
 */
public final class RedisProcess implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/bin/redis-server");

    private final int port;
    private Process process;

    public RedisProcess() {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("a real Redis server is needed at " + BINARY + " (apt-get install redis-server)");
        }
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start();
    }

    public int port() {
        return port;
    }

    public synchronized void start() {
        try {
            process = new ProcessBuilder(BINARY.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Awaitility.await("redis-server listening on " + port).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
                    try (var socket = new java.net.Socket("127.0.0.1", port)) {
                        return true;
                    }
                });
    }

    /** Gone at once (SIGKILL): connections drop and the port refuses new ones. */
    public synchronized void stop() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
