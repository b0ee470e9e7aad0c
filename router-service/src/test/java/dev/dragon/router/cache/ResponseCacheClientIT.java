package dev.dragon.router.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dragon.contracts.v1.CachedResponse;
import dev.dragon.core.sampling.SamplingParams;
import dev.dragon.core.tokenizer.ChatMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The router's response-cache client against a real gRPC server implementing the CacheService contract
 * ({@link ContractCacheService} over memory): hits and misses, and a bypass (never an error) while the server is gone
 * or stalled, resuming by itself when it is back.
 */
class ResponseCacheClientIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final CacheServer server = new CacheServer(new ContractCacheService(CacheEntries.inMemory(), 64 * 1024));
    private final ClientFixture clients = new ClientFixture();
    private final CacheClientProperties settings = ClientFixture.settings(server.target(), Duration.ofSeconds(5));

    @AfterEach
    void close() throws Exception {
        server.service.answer();
        clients.close();
        server.close();
    }

    private static ResponseCacheKey key(String tenant, String question) {
        return ResponseCacheKey.chat(tenant, "dragon-moe-mini@1.0.0", "0", List.of(new ChatMessage("user", question)))
                .sampling(SamplingParams.greedy()).build();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void storedAnswer_isAHit_forTheSameRequestAndTenantOnly() {
        ResponseCacheClient client = clients.responses(settings);

        CacheLookup<CachedResponse> before = client.lookup(key("acme", "2+2?")).block(WAIT);
        boolean stored = client.store(key("acme", "2+2?"), utf8("{\"text\":\"4\"}"), "application/json").block(WAIT);
        CacheLookup<CachedResponse> after = client.lookup(key("acme", "2+2?")).block(WAIT);
        CacheLookup<CachedResponse> otherTenant = client.lookup(key("globex", "2+2?")).block(WAIT);

        assertThat(before.outcome()).isEqualTo(CacheOutcome.MISS);
        assertThat(stored).isTrue();
        assertThat(after.outcome()).isEqualTo(CacheOutcome.HIT);
        assertThat(after.header()).isEqualTo("hit");
        assertThat(after.value().orElseThrow().getBody().toStringUtf8()).isEqualTo("{\"text\":\"4\"}");
        assertThat(after.value().orElseThrow().getContentType()).isEqualTo("application/json");
        assertThat(otherTenant.outcome()).isEqualTo(CacheOutcome.MISS);
        assertThat(clients.requests("response", "hit")).isEqualTo(1);
        assertThat(clients.requests("response", "miss")).isEqualTo(2);
    }

    @Test
    void anotherRouterInstance_hitsWhatTheFirstStored() {
        clients.responses(settings).store(key("acme", "restart"), utf8("answer"), "text/plain").block(WAIT);

        CacheLookup<CachedResponse> afterRestart = clients.responses(settings).lookup(key("acme", "restart")).block(WAIT);

        assertThat(afterRestart.isHit()).isTrue();
        assertThat(afterRestart.value().orElseThrow().getBody().toStringUtf8()).isEqualTo("answer");
    }

    @Test
    void cacheServiceGone_everyCallIsABypass_thenTheClientResumesByItself() {
        ResponseCacheClient client = clients.responses(settings);
        client.store(key("acme", "outage"), utf8("kept"), "text/plain").block(WAIT);

        server.stop();
        List<CacheLookup<CachedResponse>> during = java.util.stream.IntStream.range(0, 8)
                .mapToObj(i -> client.lookup(key("acme", "outage")).block(WAIT)).toList();
        Boolean storedDuring = client.store(key("acme", "other"), utf8("x"), "text/plain").block(WAIT);

        assertThat(during).allSatisfy(l -> assertThat(l.outcome()).isEqualTo(CacheOutcome.BYPASS));
        assertThat(storedDuring).isFalse();
        assertThat(clients.requests("response", "error")).as("calls that failed").isPositive();
        assertThat(clients.requests("response", "bypass")).as("calls the open breaker skipped").isPositive();

        server.start();

        await().atMost(WAIT).untilAsserted(() ->
                assertThat(client.lookup(key("acme", "outage")).block(WAIT).outcome()).isEqualTo(CacheOutcome.HIT));
        assertThat(server.service.calls.get()).isPositive();
    }

    @Test
    void stalledCacheService_isABypassAfterTheTimeout_notAWait() {
        ResponseCacheClient client = clients.responses(settings);
        server.service.stall();

        CacheLookup<CachedResponse> lookup = client.lookup(key("acme", "slow")).block(WAIT);

        assertThat(lookup.outcome()).as("answered by the client's deadline, not by the server").isEqualTo(CacheOutcome.BYPASS);
        assertThat(clients.requests("response", "error")).isEqualTo(1);
    }

    @Test
    void repeatedFailures_openTheBreaker_whichStopsCallingCacheService() {
        CacheClientProperties staysOpen = new CacheClientProperties(true, server.target(), settings.timeout(),
                settings.kvTimeout(), 32, settings.precision(), settings.chunkBytes(), settings.capture(),
                new CacheClientProperties.Breaker(50, 4, 2, Duration.ofMinutes(10), 1), settings.near(), settings.logInterval());
        ResponseCacheClient client = clients.responses(staysOpen);
        server.service.stall();
        for (int i = 0; i < 4; i++) {
            client.lookup(key("acme", "slow " + i)).block(WAIT);
        }
        int arrived = server.service.calls.get();

        CacheLookup<CachedResponse> skipped = client.lookup(key("acme", "skipped")).block(WAIT);

        assertThat(skipped.outcome()).isEqualTo(CacheOutcome.BYPASS);
        assertThat(server.service.calls.get()).as("no call while the breaker is open").isEqualTo(arrived);
        assertThat(clients.requests("response", "bypass")).isPositive();
    }

    @Test
    void disabledCache_andIneligibleRequests_areBypassesWithoutACall() {
        CacheClientProperties off = new CacheClientProperties(false, server.target(), settings.timeout(),
                settings.kvTimeout(), 32, settings.precision(), settings.chunkBytes(), settings.capture(), settings.breaker(), settings.near(), settings.logInterval());
        ResponseCacheClient disabled = clients.responses(off);
        ResponseCacheClient enabled = clients.responses(settings);

        assertThat(disabled.lookup(key("acme", "q")).block(WAIT).outcome()).isEqualTo(CacheOutcome.BYPASS);
        assertThat(disabled.store(key("acme", "q"), utf8("a"), "text/plain").block(WAIT)).isFalse();
        assertThat(enabled.skip().outcome()).isEqualTo(CacheOutcome.BYPASS);
        assertThat(server.service.calls.get()).isZero();
        assertThat(clients.requests("response", "bypass")).isEqualTo(2);
    }
}
