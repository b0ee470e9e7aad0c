package dev.dragon.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.gateway.testing.GatewayIT;
import dev.dragon.gateway.testing.Http;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A client that connects and stalls does not hold its connection: idle, between reads, or mid-request. */
class SlowClientIT extends GatewayIT {

    @DynamicPropertySource
    static void shortTimeouts(DynamicPropertyRegistry registry) {
        registry.add("dragon.gateway.connections.idle-timeout", () -> "1s");
        registry.add("dragon.gateway.connections.read-timeout", () -> "1s");
        registry.add("dragon.gateway.connections.request-timeout", () -> "2s");
    }

    @Test
    void aSilentConnection_isClosedAfterTheIdleTimeout() throws Exception {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            long start = System.nanoTime();
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(500),
                    Duration.ofSeconds(5));
        }
    }

    @Test
    void aRequestWhoseBodyStopsArriving_isCutOff_andTheGatewayStaysHealthy() throws Exception {
        String key = newKey(uniqueTenant("slow"));
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
                    + "\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"model\":")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();
            InputStream in = socket.getInputStream();
            byte[] answer = in.readAllBytes();   // whatever the gateway says (if anything), then its close
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
            String text = new String(answer, StandardCharsets.US_ASCII);
            assertThat(text.isEmpty() || !text.startsWith("HTTP/1.1 200")).as(text).isTrue();
        }
        assertThat(Http.chat(port, key, "dragon-moe-mini", 8).statusCode()).isEqualTo(200);
    }
}
