package dev.dragon.gateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import redis.embedded.RedisServer;

/** A real Redis server (embedded-redis) on a free loopback port, which a test may stop and start again. */
public final class EmbeddedRedis {

    private static EmbeddedRedis shared;

    private final int port;
    private RedisServer server;

    private EmbeddedRedis(int port) {
        this.port = port;
    }

    /** One server for every test of this JVM that does not stop it. */
    public static synchronized EmbeddedRedis shared() {
        if (shared == null) {
            shared = started();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop));
        }
        return shared;
    }

    /** A server of the caller's own (for tests that take Redis away). */
    public static EmbeddedRedis started() {
        EmbeddedRedis redis = new EmbeddedRedis(freePort());
        redis.start();
        return redis;
    }

    public int port() {
        return port;
    }

    public synchronized void start() {
        try {
            server = RedisServer.newRedisServer().bind("127.0.0.1").port(port)
                    .setting("save \"\"").setting("appendonly no").build();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void stop() {
        if (server != null) {
            try {
                server.stop();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server = null;
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
