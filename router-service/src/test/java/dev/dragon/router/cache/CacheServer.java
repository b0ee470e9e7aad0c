package dev.dragon.router.cache;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** A gRPC server on a loopback port for {@link ContractCacheService}, which a test can stop and start again on the same port. */
final class CacheServer implements AutoCloseable {

    final ContractCacheService service;
    private int port;
    private Server server;

    CacheServer(ContractCacheService service) {
        this.service = service;
        start();
    }

    String target() {
        return "127.0.0.1:" + port;
    }

    void start() {
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port)).addService(service).build().start();
            port = server.getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Gone: connections are dropped and the port refuses new ones. */
    void stop() {
        try {
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
