package dev.dragon.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dragon.gateway.testing.EmbeddedRedis;
import dev.dragon.gateway.testing.FakeRouter;
import dev.dragon.gateway.testing.GatewayIT;
import dev.dragon.gateway.testing.Http;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Two router replicas, one of which never listens: connect failures are retried on the other replica and the
 * dead one is ejected from the load balancer (the route's circuit stays closed); when every replica is down the
 * circuit opens (fast JSON 503s) and closes again once a router is back; a router
 * slower than the response timeout gets a JSON 504.
 */
class UpstreamResilienceIT extends GatewayIT {

    private static final FakeRouter LIVE = FakeRouter.started();
    private static final int DEAD_PORT = EmbeddedRedis.freePort();

    @DynamicPropertySource
    static void twoReplicas(DynamicPropertyRegistry registry) {
        registry.add(UPSTREAM, () -> "http://127.0.0.1:" + DEAD_PORT + "," + LIVE.uri());
        registry.add("dragon.gateway.upstream.response-timeout", () -> "8s");
        registry.add("dragon.gateway.upstream.circuit-breaker.sliding-window-size", () -> "4");
        registry.add("dragon.gateway.upstream.circuit-breaker.minimum-calls", () -> "4");
        registry.add("dragon.gateway.upstream.circuit-breaker.wait-in-open", () -> "5s");
        registry.add("dragon.gateway.upstream.circuit-breaker.half-open-calls", () -> "1");
    }

    @AfterAll
    static void stopRouter() {
        LIVE.stop();
    }

    @Test
    void refusedConnection_isRetriedOnTheNextReplica() {
        String key = newKey(uniqueTenant("retry"));
        LIVE.reset();
        // (a circuit left open by another test closes with the first successful trial call)
        await().atMost(Duration.ofSeconds(60)).until(() -> Http.chat(port, key, "dragon-moe-mini", 8).statusCode() == 200);
        int before = LIVE.received();
        for (int i = 0; i < 6; i++) {
            assertThat(Http.chat(port, key, "dragon-moe-mini", 8).statusCode()).isEqualTo(200);
        }
        // each request reached a router exactly once: retries never duplicate a request that was delivered
        assertThat(LIVE.received() - before).isEqualTo(6);
    }

    @Test
    void deadReplica_isEjected_andConcurrentRequestsAreAllServedByTheLiveOne_withoutOpeningTheCircuit() throws Exception {
        String key = tenantWithKey(uniqueTenant("eject"), 10_000, 10_000_000, 64);
        LIVE.reset();
        await().atMost(Duration.ofSeconds(60)).until(() -> Http.chat(port, key, "dragon-moe-mini", 8).statusCode() == 200);
        int before = LIVE.received();

        List<Integer> statuses;
        try (ExecutorService clients = Executors.newFixedThreadPool(16)) {
            List<Future<Integer>> sent = new ArrayList<>();
            for (int i = 0; i < 96; i++) {
                sent.add(clients.submit(() -> Http.chat(port, key, "dragon-moe-mini", 8).statusCode()));
            }
            statuses = new ArrayList<>();
            for (Future<Integer> f : sent) {
                statuses.add(f.get());
            }
        }

        assertThat(statuses).containsOnly(200);
        assertThat(LIVE.received() - before).isEqualTo(96);
        assertThat(circuitState()).isZero();
        // the dead replica (configured first) is out of rotation: ejected, or on trial for one request
        assertThat(gauge("dragon_gateway_replica_state{", "replica=\"router-service-0\"")).isIn(1.0, 2.0);
        assertThat(gauge("dragon_gateway_replica_state{", "replica=\"router-service-1\"")).isZero();
    }

    @Test
    void circuitOpens_whenEveryReplicaIsDown_andClosesWhenARouterIsBack() {
        String key = newKey(uniqueTenant("cb"));
        LIVE.reset();
        LIVE.stop();
        try {
            HttpResponse<String> unreachable = Http.chat(port, key, "dragon-moe-mini", 8);
            assertThat(unreachable.statusCode()).isEqualTo(503);
            assertThat(Http.json(unreachable)).isEqualTo(Http.error("router-service is unreachable; retry shortly.",
                    "server_error", null, "upstream_unavailable"));

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                HttpResponse<String> open = Http.chat(port, key, "dragon-moe-mini", 8);
                assertThat(open.statusCode()).isEqualTo(503);
                assertThat(Http.json(open)).isEqualTo(Http.error("router-service is unavailable (circuit open); "
                        + "retry shortly.", "server_error", null, "circuit_open"));
                assertThat(open.headers().firstValue("Retry-After")).contains("5");
                assertThat(circuitState()).isEqualTo(2.0);
            });
        } finally {
            LIVE.start();
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> Http.chat(port, key, "dragon-moe-mini", 8).statusCode() == 200);
        await().atMost(Duration.ofSeconds(30)).until(() -> circuitState() == 0.0);
    }

    @Test
    void routerSlowerThanTheResponseTimeout_gets504() {
        String key = newKey(uniqueTenant("slow"));
        LIVE.reset();
        LIVE.delay(Duration.ofSeconds(30));
        HttpResponse<String> response = Http.chat(port, key, "dragon-moe-mini", 8);
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(Http.json(response)).isEqualTo(Http.error("router-service did not answer in time.", "server_error",
                null, "upstream_timeout"));
        LIVE.reset();
    }

    private double circuitState() {
        return gauge("dragon_gateway_circuit_state{", "route=\"chat-completions\"");
    }

    private double gauge(String series, String label) {
        String metrics = Http.get(managementPort, "/actuator/prometheus", null).body();
        return metrics.lines().filter(l -> l.startsWith(series) && l.contains(label))
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no " + series + label + "} in " + metrics));
    }
}
