package dev.dragon.platform.badinput;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Clients that misbehave at the transport level with a valid streaming request, over a raw socket: one hangs up
 * after the first event, one reads a byte at a time with a tiny receive window and then hangs up, one hangs up
 * half way through sending its body. Nothing is expected back from the server; the platform must free the
 * sequence's slot and buffers.
 */
public final class AbusiveClients {

    public static final List<String> KINDS = List.of("disconnect_mid_stream", "slow_reader", "disconnect_mid_body");

    private final String host;
    private final int port;
    private final String apiKey;

    public AbusiveClients(String host, int port, String apiKey) {
        this.host = host;
        this.port = port;
        this.apiKey = apiKey;
    }

    /** Runs one client of {@code kind}; returns what it saw (for the report), never throws for I/O. */
    public String run(String kind, Random r) {
        byte[] body = BadInputGenerator.JSON.writeValueAsBytes(Map.of("model", "dragon-moe-mini", "stream", true,
                "max_tokens", 64 + r.nextInt(64), "dragon", Map.of("ignore_eos", true),
                "messages", List.of(Map.of("role", "user", "content", "abusive client " + r.nextInt()))));
        String head = "POST /v1/chat/completions HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAuthorization: Bearer "
                + apiKey + "\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\nContent-Length: "
                + body.length + "\r\n\r\n";
        try (Socket s = new Socket()) {
            if (kind.equals("slow_reader")) {
                s.setReceiveBufferSize(1024);
            }
            s.connect(new InetSocketAddress(host, port), 5000);
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            if (kind.equals("disconnect_mid_body")) {
                out.write(body, 0, body.length / 2);
                out.flush();
                return "sent half the body, hung up";
            }
            out.write(body);
            out.flush();
            InputStream in = s.getInputStream();
            if (kind.equals("disconnect_mid_stream")) {
                String seen = readUntil(in, "data: ");
                return seen.startsWith("HTTP/1.1 200") ? "hung up after the first event" : "got " + firstLine(seen);
            }
            for (int i = 0; i < 40; i++) {                 // ~2 s at 1 byte per 50 ms
                if (in.read() < 0) {
                    return "server closed the stream";
                }
                Thread.sleep(50);
            }
            return "read 40 bytes slowly, hung up";
        } catch (IOException e) {
            return "I/O: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static String readUntil(InputStream in, String marker) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && b.length() < 64 * 1024) {
            b.append((char) c);
            if (b.indexOf(marker) >= 0) {
                break;
            }
        }
        return b.toString();
    }

    private static String firstLine(String s) {
        int i = s.indexOf('\r');
        return i < 0 ? s : s.substring(0, i);
    }
}
