package dev.dragon.gateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * What a Redis server has done so far, read over a plain socket with {@code INFO} (no client library, so the
 * reading adds no command of the kind it counts): calls per command ({@code INFO commandstats}) and the
 * server's CPU seconds ({@code INFO cpu}). Take one snapshot before and one after, and subtract.
 */
public record RedisStats(Map<String, Long> calls, double cpuSeconds) {

    public static RedisStats of(int port) {
        String commandstats = info(port, "commandstats");
        Map<String, Long> calls = new HashMap<>();
        for (String line : commandstats.split("\r\n")) {
            // cmdstat_evalsha:calls=3,usec=120,usec_per_call=40.00,...
            if (line.startsWith("cmdstat_")) {
                String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                String rest = line.substring(line.indexOf("calls=") + "calls=".length());
                calls.put(name, Long.parseLong(rest.substring(0, rest.indexOf(','))));
            }
        }
        double cpu = 0;
        for (String line : info(port, "cpu").split("\r\n")) {
            if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
                cpu += Double.parseDouble(line.substring(line.indexOf(':') + 1));
            }
        }
        return new RedisStats(Map.copyOf(calls), cpu);
    }

    /** Calls of {@code command} (lower case, e.g. {@code evalsha}) since {@code before}. */
    public long callsSince(RedisStats before, String command) {
        return calls.getOrDefault(command, 0L) - before.calls.getOrDefault(command, 0L);
    }

    /** Every command since {@code before} except {@code info} (this class's own). */
    public long allCallsSince(RedisStats before) {
        long total = 0;
        for (Map.Entry<String, Long> e : calls.entrySet()) {
            if (!e.getKey().equals("info")) {
                total += e.getValue() - before.calls.getOrDefault(e.getKey(), 0L);
            }
        }
        return total;
    }

    /** Calls per command since {@code before}, most first, e.g. {@code evalsha 2000, get 4}. */
    public String breakdownSince(RedisStats before) {
        StringBuilder sb = new StringBuilder();
        calls.keySet().stream().filter(c -> !c.equals("info") && callsSince(before, c) > 0)
                .sorted((a, b) -> Long.compare(callsSince(before, b), callsSince(before, a)))
                .forEach(c -> sb.append(sb.isEmpty() ? "" : ", ").append(c).append(' ').append(callsSince(before, c)));
        return sb.toString();
    }

    /** Script runs ({@code evalsha} + {@code eval}) since {@code before}. */
    public long scriptCallsSince(RedisStats before) {
        return callsSince(before, "evalsha") + callsSince(before, "eval");
    }

    private static String info(int port, String section) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("*2\r\n$4\r\nINFO\r\n$" + section.length() + "\r\n" + section + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String header = line(in);
            if (!header.startsWith("$")) {
                throw new IllegalStateException("unexpected Redis reply: " + header);
            }
            byte[] body = in.readNBytes(Integer.parseInt(header.substring(1)));
            return new String(body, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("Redis closed the connection");
            }
            if (b != '\r') {
                bytes.write(b);
            }
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }
}
