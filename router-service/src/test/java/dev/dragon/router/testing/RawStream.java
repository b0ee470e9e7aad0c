package dev.dragon.router.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A request over a raw socket, for what an HTTP client library hides: reading part of a streamed response
 * and then dropping the connection, like a client that goes away.
 */
public final class RawStream implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    private RawStream(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /** Sends {@code POST path} with a JSON body; the response is read on demand. */
    public static RawStream post(int port, String path, String json) {
        try {
            Socket socket = new Socket("localhost", port);
            socket.setSoTimeout((int) Duration.ofMinutes(2).toMillis());
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            String head = "POST " + path + " HTTP/1.1\r\nHost: localhost:" + port + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            return new RawStream(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads until the response holds {@code n} SSE frames ({@code data: } lines); returns what arrived. */
    public String awaitFrames(int n) {
        byte[] buf = new byte[4096];
        try {
            while (count(text(), "data: ") < n) {
                int r = in.read(buf);
                if (r < 0) {
                    throw new AssertionError("connection closed after:\n" + text());
                }
                received.write(buf, 0, r);
            }
            return text();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String text() {
        return received.toString(StandardCharsets.UTF_8);
    }

    /** Drops the connection without reading the rest. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
