package dev.dragon.router.discovery;

import java.util.Objects;

/**
 * One replica of an expert group: where its gRPC server listens.
 *
 * @param host host name, IPv4 or IPv6 address (without brackets)
 * @param port gRPC port
 */
public record ReplicaEndpoint(String host, int port) implements Comparable<ReplicaEndpoint> {

    public ReplicaEndpoint {
        Objects.requireNonNull(host, "host");
        if (host.isBlank() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("not a replica endpoint: host '" + host + "', port " + port);
        }
    }

    /** Parses {@code host:port} or {@code [ipv6]:port}. */
    public static ReplicaEndpoint parse(String text) {
        String s = text.strip();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not host:port");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new ReplicaEndpoint(host, Integer.parseInt(s.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not host:port", e);
        }
    }

    /** The gRPC target, {@code host:port} (IPv6 in brackets). */
    public String target() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public int compareTo(ReplicaEndpoint o) {
        int c = host.compareTo(o.host);
        return c != 0 ? c : Integer.compare(port, o.port);
    }

    @Override
    public String toString() {
        return target();
    }
}
