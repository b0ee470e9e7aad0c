package dev.dragon.gateway.warmup;

import dev.dragon.gateway.auth.Authenticator;
import dev.dragon.gateway.auth.IssuedKey;
import dev.dragon.gateway.auth.KeyStore;
import dev.dragon.gateway.auth.TenantPlan;
import dev.dragon.gateway.config.GatewayJson;
import dev.dragon.gateway.config.GatewayProperties;
import dev.dragon.support.web.DragonHeaders;
import dev.dragon.support.web.ReservedTenants;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Sends the gateway's own public port a few real API requests before it takes traffic, so the first client
 * request after readiness finds a JIT-compiled filter chain, a loaded rate-limit script, open connections to the
 * routers, the request codec and the SSE relay already used (their first run costs hundreds of milliseconds on
 * a small host). Spring Boot runs runners after the server listens and reports ready only once they returned.
 *
 * <p>The requests authenticate with a key issued for tenant {@value ReservedTenants#WARM_UP} (a name no admin
 * call can create) and revoked at the end; the routers treat that tenant's requests as their own warm-up (no
 * interaction events). The gateway waits for a router to answer at most {@code warm-up.timeout}, then reports
 * ready anyway (a gateway without routers answers 503 either way).
 */
public final class GatewayWarmUp implements ApplicationRunner, Ordered {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayWarmUp.class);
    /** One warm-up call; a router that is up answers these in milliseconds. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    /** Room for the warm-up calls and nothing else. */
    private static final TenantPlan PLAN = new TenantPlan(100_000, 10_000_000, 64, List.of(TenantPlan.ANY_MODEL));

    private final GatewayProperties.WarmUp settings;
    private final KeyStore store;
    private final Authenticator authenticator;
    private final GatewayJson json;
    private final Environment environment;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Counter answeredCount;
    private final Counter failedCount;

    public GatewayWarmUp(GatewayProperties.WarmUp settings, KeyStore store, Authenticator authenticator,
                         GatewayJson json, Environment environment, MeterRegistry registry) {
        this.settings = settings;
        this.store = store;
        this.authenticator = authenticator;
        this.json = json;
        this.environment = environment;
        this.answeredCount = Counter.builder("dragon.warmup.requests").tag("result", "answered")
                .description("warm-up requests answered as expected before the service reported ready")
                .register(registry);
        this.failedCount = Counter.builder("dragon.warmup.requests").tag("result", "failed")
                .description("warm-up requests that failed and were retried (dependencies not up yet)")
                .register(registry);
    }

    /** Last among the runners (the others only start background work). */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void run(ApplicationArguments args) {
        Integer port = environment.getProperty("local.server.port", Integer.class);
        if (!settings.enabled() || port == null) {
            LOG.info("warm-up off (enabled={}, port known={}): ready without it", settings.enabled(), port != null);
            return;
        }
        long start = System.nanoTime();
        long deadline = start + settings.timeout().toNanos();
        IssuedKey key = until(deadline, "warm-up key", this::issueKey);
        if (key == null) {
            return;
        }
        try {
            String model = until(deadline, "a router", () -> model(port, key.key()));
            if (model == null) {
                return;
            }
            int answered = 0;
            for (int round = 0; round < settings.rounds(); round++) {
                for (Call call : calls(round, model, key.key())) {
                    Call c = call;
                    if (until(deadline, c.path(), () -> send(port, c)) == null) {
                        return;
                    }
                    answered++;
                }
            }
            List<Call> hits = repeatedHits(model, key.key());
            for (int i = 0; i < settings.repeats(); i++) {
                Call c = hits.get(i % hits.size());
                if (until(deadline, c.path(), () -> send(port, c)) == null) {
                    return;
                }
                answered++;
            }
            LOG.info("warm-up done in {} ms: {} requests answered as expected", ms(start), answered);
        } finally {
            revoke(key);
        }
    }

    /** Retries {@code attempt} (a null result: try again) every 250 ms until it gives a value or the deadline passes. */
    private <T> T until(long deadline, String what, Attempt<T> attempt) {
        String lastFailure = "";
        while (true) {
            try {
                T value = attempt.run();
                if (value != null) {
                    return value;
                }
                lastFailure = "no answer yet";
            } catch (RuntimeException | IOException e) {
                lastFailure = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            failedCount.increment();
            if (System.nanoTime() - deadline >= 0) {
                LOG.warn("warm-up gave up waiting for {} ({}); reporting ready anyway", what, lastFailure);
                return null;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    private IssuedKey issueKey() {
        return store.setPlan(ReservedTenants.WARM_UP, PLAN).then(store.create(ReservedTenants.WARM_UP))
                .block(Duration.ofSeconds(5));
    }

    private void revoke(IssuedKey key) {
        String keyId = key.record().keyId();
        try {
            store.hashOf(keyId).flatMap(hash -> store.revoke(keyId).doOnNext(r -> authenticator.evictKey(hash)))
                    .block(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warn("warm-up key {} not revoked ({}); revoke it through the admin API", keyId, e.toString());
        }
    }

    /** The first model a router serves (through the gateway), or null while none answers. */
    private String model(int port, String key) throws IOException, InterruptedException {
        HttpResponse<String> models = http.send(request(port, "/v1/models", key).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (models.statusCode() != 200) {
            return null;
        }
        answeredCount.increment();
        String id = json.mapper().readTree(models.body()).path("data").path(0).path("id").asString("");
        return id.isEmpty() ? null : id;
    }

    /** One round: chat twice (the second a router's response-cache hit), streamed chat, completion, two refusals. */
    private static List<Call> calls(int round, String model, String key) {
        String prompt = "Warm-up " + round + ": what is 12 + 30?";
        String chat = """
                {"model":"%s","messages":[{"role":"user","content":"%s"}],"max_tokens":16,"temperature":0}"""
                .formatted(model, prompt);
        String stream = """
                {"model":"%s","messages":[{"role":"user","content":"%s"}],"max_tokens":16,"temperature":0,\
                "stream":true}""".formatted(model, prompt);
        String completion = """
                {"model":"%s","prompt":"%s","max_tokens":8,"temperature":0}""".formatted(model, prompt);
        String invalid = """
                {"model":"%s","messages":"not a list"}""".formatted(model);
        return List.of(new Call("/v1/chat/completions", key, chat, 200), new Call("/v1/chat/completions", key, chat, 200),
                new Call("/v1/chat/completions", key, stream, 200), new Call("/v1/completions", key, completion, 200),
                new Call("/v1/chat/completions", key, invalid, 400),
                new Call("/v1/chat/completions", "sk-not-a-key", chat, 401));
    }

    /** Round 0's chat, whole and streamed: answered from a router's response cache (its key ignores framing). */
    private static List<Call> repeatedHits(String model, String key) {
        List<Call> first = calls(0, model, key);
        return List.of(first.get(1), first.get(2));
    }

    /** True when answered with the expected status; null (try again) otherwise. */
    private Boolean send(int port, Call call) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(port, call.path(), call.key())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(call.body())).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != call.expect()) {
            return null;
        }
        answeredCount.increment();
        return true;
    }

    private static HttpRequest.Builder request(int port, String path, String key) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(CALL_TIMEOUT)
                .header("Authorization", "Bearer " + key).header(DragonHeaders.REQUEST_ID, "warm-up");
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    @FunctionalInterface
    private interface Attempt<T> {
        T run() throws IOException, InterruptedException;
    }

    private record Call(String path, String key, String body, int expect) {
    }
}
