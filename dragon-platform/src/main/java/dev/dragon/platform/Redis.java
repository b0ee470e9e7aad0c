package dev.dragon.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import redis.embedded.RedisServer;

/**
 * The platform's Redis: the machine's {@code redis-server} when it is on the PATH, otherwise the binary that
 * embedded-redis ships in its jar. Loopback only, no persistence (a cache and rate-limit store).
 */
public final class Redis implements AutoCloseable {

    private final int port;
    private final Process process;          // machine's redis-server, or null
    private final RedisServer embedded;     // embedded-redis, or null

    private Redis(int port, Process process, RedisServer embedded) {
        this.port = port;
        this.process = process;
        this.embedded = embedded;
    }

    public static Redis start(int port, Path runDir, Path logDir) {
        Optional<Path> binary = onPath("redis-server");
        try {
            Redis redis;
            if (binary.isPresent()) {
                Path dir = Files.createDirectories(runDir.resolve("redis"));
                Process p = new ProcessBuilder(List.of(binary.get().toString(), "--port", Integer.toString(port),
                        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(logDir.resolve("redis.log").toFile())).start();
                redis = new Redis(port, p, null);
            } else {
                RedisServer server = RedisServer.newRedisServer().bind("127.0.0.1").port(port)
                        .setting("save \"\"").setting("appendonly no").build();
                server.start();
                redis = new Redis(port, null, server);
            }
            redis.awaitPong();
            return redis;
        } catch (IOException e) {
            throw new PlatformException("cannot start Redis on port " + port + ": " + e.getMessage(), e);
        }
    }

    public String description() {
        return (process != null ? "redis-server" : "embedded-redis") + " on 127.0.0.1:" + port;
    }

    public Optional<Long> pid() {
        return process == null ? Optional.empty() : Optional.of(process.pid());
    }

    private void awaitPong() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                OutputStream out = s.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                byte[] reply = in.readNBytes(7);
                if (new String(reply, StandardCharsets.US_ASCII).startsWith("+PONG")) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            if (process != null && !process.isAlive()) {
                throw new PlatformException("redis-server exited with status " + process.exitValue()
                        + " (see redis.log in the run directory)");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        throw new PlatformException("Redis did not answer PING on port " + port + " within 15 s");
    }

    static Optional<Path> onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        try (Stream<String> dirs = Stream.of(path.split(":"))) {
            return dirs.filter(d -> !d.isBlank()).map(d -> Path.of(d, program)).filter(Files::isExecutable).findFirst();
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (embedded != null) {
            try {
                embedded.stop();
            } catch (IOException e) {
                // already gone
            }
        }
    }
}
