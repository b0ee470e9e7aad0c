package dev.dragon.platform.badinput;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A minimal RESP2 client over a socket: enough to SCAN every key and read every value, for the at-rest check. */
final class Resp implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    Resp(int port) {
        try {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends one command; the reply as a String, byte[] (bulk, raw), Long, List or null. */
    Object call(String... args) {
        try {
            StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
            for (String a : args) {
                byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
                b.append('$').append(bytes.length).append("\r\n").append(a).append("\r\n");
            }
            out.write(b.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Object read() throws IOException {
        int type = in.read();
        String line = line();
        return switch (type) {
            case '+' -> line;
            case '-' -> throw new IllegalStateException("redis: " + line);
            case ':' -> Long.parseLong(line);
            case '$' -> {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    yield null;
                }
                byte[] data = in.readNBytes(n);
                line();
                yield data;
            }
            case '*' -> {
                int n = Integer.parseInt(line);
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    items.add(read());
                }
                yield items;
            }
            default -> throw new IllegalStateException("unexpected RESP type " + type);
        };
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("closed");
            }
            b.append((char) c);
        }
        in.read();
        return b.toString();
    }

    /** Every key and the raw bytes of its value (strings, hash fields and values, list/set/zset members). */
    List<byte[]> everyKeyAndValue() {
        List<byte[]> all = new ArrayList<>();
        String cursor = "0";
        do {
            List<?> reply = (List<?>) call("SCAN", cursor, "COUNT", "1000");
            cursor = new String((byte[]) reply.get(0), StandardCharsets.UTF_8);
            for (Object k : (List<?>) reply.get(1)) {
                String key = new String((byte[]) k, StandardCharsets.UTF_8);
                all.add((byte[]) k);
                String type = (String) call("TYPE", key);
                Object value = switch (type) {
                    case "string" -> call("GET", key);
                    case "hash" -> call("HGETALL", key);
                    case "list" -> call("LRANGE", key, "0", "-1");
                    case "set" -> call("SMEMBERS", key);
                    case "zset" -> call("ZRANGE", key, "0", "-1");
                    default -> null;
                };
                flatten(value, all);
            }
        } while (!cursor.equals("0"));
        return all;
    }

    private static void flatten(Object value, List<byte[]> into) {
        if (value instanceof byte[] b) {
            into.add(b);
        } else if (value instanceof List<?> l) {
            l.forEach(v -> flatten(v, into));
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
