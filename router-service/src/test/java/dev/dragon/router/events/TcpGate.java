package dev.dragon.router.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP port that refuses connections until {@link #open} and then forwards them to a target: a Kafka bootstrap
 * address that is "away" and later "back". (Once bootstrapped, Kafka clients talk to the broker's advertised
 * address directly.) The KRaft test kit picks its own ports, so a broker cannot be started later on a given one.
 */
final class TcpGate implements AutoCloseable {

    private final int port;
    private final String targetHost;
    private final int targetPort;
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

    TcpGate(int port, String targetHost, int targetPort) {
        this.port = port;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    /** Starts accepting on the port and forwarding each connection to the target. */
    void open() {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress("localhost", port));
            open.add(server);
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket client = server.accept();
                        Socket target = new Socket(targetHost, targetPort);
                        open.add(client);
                        open.add(target);
                        Thread.ofVirtual().start(() -> pump(client, target));
                        Thread.ofVirtual().start(() -> pump(target, client));
                    } catch (IOException e) {
                        return;                                  // closed
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // one side went away: the other pump ends too
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }
}
