package dev.dragon.router.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dragon.core.engine.LocalEngine;
import dev.dragon.router.testing.ApiClient;
import dev.dragon.router.testing.RawStream;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Backpressure and cancellation with one KV slot and a queue of one, over real HTTP: generations that only
 * end by cancellation (ignore_eos with a huge max_tokens) hold the slot and the queue, so the next request
 * must get a 429, and a client that goes away (streaming, not streaming, or still queued) frees what it held.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "dragon.router.engine.max-batch=1",
    "dragon.router.engine.max-queue=1",
    "dragon.router.api.max-tokens-cap=1000000",
    "dragon.router.api.retry-after-seconds=7"})
class BackpressureIT {

    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final String ENDLESS = "{\"model\":\"dragon-moe-mini\",\"prompt\":\"Once upon a time\",\"max_tokens\":1000000,"
            + "\"temperature\":0,\"dragon\":{\"ignore_eos\":true}";
    private static final String ENDLESS_STREAM = ENDLESS + ",\"stream\":true}";

    @LocalServerPort
    int port;
    @Autowired
    LocalEngine engine;
    @Autowired
    MeterRegistry registry;

    private ApiClient api;

    @BeforeEach
    void idle() {
        api = new ApiClient(port);
        awaitIdle();
    }

    @AfterEach
    void slotsAreFreeAgain() {
        awaitIdle();
        HttpResponse<String> r = api.post("/v1/completions",
                "{\"model\":\"dragon-moe-mini\",\"prompt\":\"Once\",\"max_tokens\":2}");
        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void aFullQueue_answers429WithRetryAfterAndAnOpenAiError_streamingOrNot() {
        double refused = registry.get("dragon.requests.rejected").tag("reason", "queue_full").counter().count();
        try (RawStream running = RawStream.post(port, "/v1/completions", ENDLESS_STREAM)) {
            running.awaitFrames(1);
            try (RawStream queued = RawStream.post(port, "/v1/completions", ENDLESS_STREAM)) {
                await().atMost(WAIT).until(() -> engine.waiting() == 1);

                for (String body : new String[] {ENDLESS + "}", ENDLESS_STREAM}) {
                    HttpResponse<String> r = api.post("/v1/completions", body);

                    assertThat(r.statusCode()).isEqualTo(429);
                    assertThat(r.headers().firstValue("retry-after")).hasValue("7");
                    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(
                            v -> assertThat(v).startsWith("application/json"));
                    assertThat(r.body()).isEqualTo("{\"error\":{\"message\":\"The server is overloaded: every generation "
                            + "slot is busy and the queue is full. Retry after a moment.\",\"type\":\"rate_limit_exceeded\","
                            + "\"param\":null,\"code\":\"server_overloaded\"}}");
                }
                assertThat(engine.running()).isEqualTo(1);
            }
        }
        assertThat(registry.get("dragon.requests.rejected").tag("reason", "queue_full").counter().count())
                .isEqualTo(refused + 2);
    }

    @Test
    void aClientLeavingMidStream_cancelsItsGeneration_andFreesTheSlot() {
        double cancelled = cancelledCount();
        try (RawStream stream = RawStream.post(port, "/v1/completions", ENDLESS_STREAM)) {
            String received = stream.awaitFrames(3);
            assertThat(received).startsWith("HTTP/1.1 200");
            assertThat(engine.running()).isEqualTo(1);
        }
        await().atMost(WAIT).until(() -> engine.running() == 0);
        await().atMost(WAIT).until(() -> cancelledCount() == cancelled + 1);
    }

    @Test
    void aClientLeavingBeforeTheWholeResponse_cancelsItsGeneration() {
        double cancelled = cancelledCount();
        try (RawStream whole = RawStream.post(port, "/v1/completions", ENDLESS + "}")) {
            await().atMost(WAIT).until(() -> engine.running() == 1);
        }
        await().atMost(WAIT).until(() -> engine.running() == 0);
        await().atMost(WAIT).until(() -> cancelledCount() == cancelled + 1);
    }

    @Test
    void aClientLeavingWhileQueued_leavesTheQueue_withoutTouchingTheRunningOne() {
        double cancelled = cancelledCount();
        try (RawStream running = RawStream.post(port, "/v1/completions", ENDLESS_STREAM)) {
            running.awaitFrames(1);
            try (RawStream queued = RawStream.post(port, "/v1/completions", ENDLESS_STREAM)) {
                await().atMost(WAIT).until(() -> engine.waiting() == 1);
            }
            await().atMost(WAIT).until(() -> engine.waiting() == 0);
            await().atMost(WAIT).until(() -> cancelledCount() == cancelled + 1);
            assertThat(engine.running()).isEqualTo(1);
            running.awaitFrames(5);                               // the running stream is still being served
        }
        await().atMost(WAIT).until(() -> registry.find("dragon.requests").tag("endpoint", "completions")
                .tag("status", "499").counter() != null);
    }

    private double cancelledCount() {
        return registry.get("dragon.e2e.request.latency").tag("finish_reason", "cancelled").timer().count();
    }

    private void awaitIdle() {
        await().atMost(WAIT).until(() -> engine.running() == 0 && engine.waiting() == 0);
    }
}
