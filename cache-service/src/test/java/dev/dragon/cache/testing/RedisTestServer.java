package dev.dragon.cache.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import redis.embedded.RedisServer;

/**
 * A real Redis server (embedded-redis's bundled redis-server binary) on a random free port, that a test
 * can stop and start again on the same port, plus a plain Lettuce client to look inside it.
 */
public final class RedisTestServer implements AutoCloseable {

    private final int port;
    private final RedisServer server;
    private final RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private StatefulRedisConnection<String, byte[]> binary;

    private RedisTestServer(List<String> settings) {
        this.port = freePort();
        try {
            var builder = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                    .setting("save \"\"").setting("appendonly no");
            settings.forEach(builder::setting);
            this.server = builder.build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(port)
                .withTimeout(Duration.ofSeconds(10)).build());
        start();
    }

    /** Started, with extra redis.conf lines (e.g. {@code rename-command CONFIG ""}). */
    public static RedisTestServer start(String... settings) {
        return new RedisTestServer(List.of(settings));
    }

    public int port() {
        return port;
    }

    public void start() {
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the process; its data is gone (no persistence). */
    public void stop() {
        closeConnections();
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sync commands with string values, for looking at keys, TTLs and CONFIG. */
    public synchronized RedisCommands<String, String> commands() {
        if (connection == null || !connection.isOpen()) {
            connection = client.connect();
        }
        return connection.sync();
    }

    /** Sync commands with binary values. */
    public synchronized RedisCommands<String, byte[]> binaryCommands() {
        if (binary == null || !binary.isOpen()) {
            binary = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        }
        return binary.sync();
    }

    /** Keys matching {@code pattern} (SCAN-free: KEYS is fine on a test server). */
    public List<String> keys(String pattern) {
        return commands().keys(pattern);
    }

    private synchronized void closeConnections() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        if (binary != null) {
            binary.close();
            binary = null;
        }
    }

    @Override
    public void close() {
        closeConnections();
        client.shutdown();
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
