package dev.dragon.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dragon.gateway.testing.GatewayIT;
import dev.dragon.gateway.testing.Http;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Server-Sent Events through the gateway: unbuffered, usage counted, client disconnects reach the router. */
class StreamingIT extends GatewayIT {

    @Test
    void stream_passesThroughUnbuffered_firstBytesArriveBeforeTheAnswerIsComplete() throws Exception {
        String key = newKey(uniqueTenant("sse"));
        ROUTER.holdStreams();
        HttpResponse<Stream<String>> response = Http.client().sendAsync(stream(key, false),
                HttpResponse.BodyHandlers.ofLines()).get(60, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
        assertThat(response.headers().firstValue("x-ratelimit-remaining-requests")).isPresent();
        Iterator<String> lines = response.body().iterator();

        // the router is holding the rest of the answer back: these must arrive without it
        assertThat(nextData(lines)).contains("\"role\":\"assistant\"");
        assertThat(nextData(lines)).contains("\"content\":\"Hello\"");

        ROUTER.releaseStreams();
        List<String> rest = new ArrayList<>();
        for (String data = nextData(lines); data != null; data = nextData(lines)) {
            rest.add(data);
        }
        assertThat(rest).last().isEqualTo("[DONE]");
        assertThat(rest).anyMatch(d -> d.contains("\"finish_reason\":\"stop\""));
        // the gateway asked for usage to count tokens, and took the chunk out again: the client did not ask
        assertThat(rest).noneMatch(d -> d.contains("\"usage\""));
        assertThat(ROUTER.next().body().path("stream_options").path("include_usage").asBoolean()).isTrue();
    }

    @Test
    void stream_keepsTheUsageChunk_whenTheClientAskedForIt() throws Exception {
        String key = newKey(uniqueTenant("sseu"));
        HttpResponse<Stream<String>> response = Http.client().sendAsync(stream(key, true),
                HttpResponse.BodyHandlers.ofLines()).get(60, TimeUnit.SECONDS);
        List<String> events = response.body().filter(l -> l.startsWith("data:")).map(l -> l.substring(5).strip()).toList();
        assertThat(events).last().isEqualTo("[DONE]");
        assertThat(events.get(events.size() - 2)).contains("\"choices\":[]").contains("\"total_tokens\":12");
    }

    @Test
    void streamedUsage_isCharged_toTheTokenBudget() throws Exception {
        String key = tenantWithKey(uniqueTenant("ssec"), 1000, 100, 100);
        ROUTER.usage(5, 95);
        HttpResponse<Stream<String>> response = Http.client().sendAsync(stream(key, false),
                HttpResponse.BodyHandlers.ofLines()).get(60, TimeUnit.SECONDS);
        assertThat(response.body().toList()).noneMatch(l -> l.contains("\"usage\""));
        // 3 + 16 reserved, 100 used: the budget is gone, though the client never saw the usage chunk
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> Http.chat(port, key, "dragon-moe-mini", 60).statusCode() == 429);
    }

    @Test
    void aStreamWrittenWholeWithItsLength_reachesTheClientComplete_withoutTheUsageChunk() throws Exception {
        String key = newKey(uniqueTenant("whole"));
        ROUTER.wholeStreams();
        HttpResponse<Stream<String>> response = Http.client().sendAsync(stream(key, false),
                HttpResponse.BodyHandlers.ofLines()).get(60, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        // the router's Content-Length counted the usage chunk the gateway takes out: it must not be passed on
        assertThat(response.headers().firstValue("content-length")).isEmpty();
        List<String> events = response.body().filter(l -> l.startsWith("data:")).map(l -> l.substring(5).strip())
                .toList();
        assertThat(events).last().isEqualTo("[DONE]");
        assertThat(events).noneMatch(e -> e.contains("\"usage\"")).anyMatch(e -> e.contains("Hello"));
    }

    @Test
    void clientDisconnect_cancelsTheStreamAtTheRouter() throws Exception {
        String key = newKey(uniqueTenant("gone"));
        ROUTER.endlessStreams();
        HttpResponse<InputStream> response = Http.client().sendAsync(stream(key, false),
                HttpResponse.BodyHandlers.ofInputStream()).get(60, TimeUnit.SECONDS);
        try (InputStream body = response.body()) {
            byte[] some = body.readNBytes(512);
            assertThat(new String(some)).contains("data:");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> ROUTER.cancelledStreams() == 1);
    }

    private HttpRequest stream(String key, boolean includeUsage) {
        String body = "{\"model\":\"dragon-moe-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}],"
                + "\"max_tokens\":16,\"stream\":true" + (includeUsage ? ",\"stream_options\":{\"include_usage\":true}" : "")
                + "}";
        return Http.to(port, "/v1/chat/completions").header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** The next {@code data:} payload, read with a deadline so a buffering gateway fails instead of hanging. */
    private static String nextData(Iterator<String> lines) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            while (lines.hasNext()) {
                String line = lines.next();
                if (line.startsWith("data:")) {
                    return line.substring(5).strip();
                }
            }
            return null;
        }).get(30, TimeUnit.SECONDS);
    }
}
