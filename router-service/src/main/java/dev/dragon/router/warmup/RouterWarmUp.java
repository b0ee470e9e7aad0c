package dev.dragon.router.warmup;

import dev.dragon.router.config.RouterProperties;
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
import org.springframework.core.env.Environment;

/**
 * Sends this router a few real API requests over loopback before it takes traffic. Spring Boot runs
 * runners once the HTTP server listens and turns readiness ACCEPTING_TRAFFIC only after they returned, so
 * the first request a client sends after readiness finds JIT-compiled request parsing, tokenizer, ONNX Runtime
 * sessions that already ran (prefill and decode), open dispatch streams to every expert group (and their
 * replicas' warm gRPC path), the cache-service clients and the SSE writer — instead of paying for all of it
 * (seconds on a small host).
 *
 * <p>The requests are tenant {@value #TENANT}: its cache entries are its own (keys are per tenant) and its
 * requests publish no interaction events (nothing to learn from). The gateway sets the tenant header of every
 * request it forwards from the API key, so no client can send requests as this tenant through it.
 */
public final class RouterWarmUp implements ApplicationRunner {

    /** The tenant of warm-up requests (reserved: API keys must not be given this tenant). */
    public static final String TENANT = ReservedTenants.WARM_UP;

    private static final Logger LOG = LoggerFactory.getLogger(RouterWarmUp.class);

    private final RouterProperties.WarmUp settings;
    private final String model;
    private final Environment environment;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Counter answeredCount;
    private final Counter failedCount;

    RouterWarmUp(RouterProperties.WarmUp settings, String model, Environment environment, MeterRegistry registry) {
        this.settings = settings;
        this.model = model;
        this.environment = environment;
        this.answeredCount = Counter.builder("dragon.warmup.requests").tag("result", "answered")
                .description("warm-up requests this router answered itself before it reported ready").register(registry);
        this.failedCount = Counter.builder("dragon.warmup.requests").tag("result", "failed")
                .description("warm-up requests that failed and were retried (expert groups not up yet)")
                .register(registry);
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!settings.enabled()) {
            LOG.info("warm-up off (dragon.router.warm-up.enabled=false): ready without it");
            return;
        }
        Integer port = environment.getProperty("local.server.port", Integer.class);
        if (port == null) {
            LOG.warn("warm-up skipped: the HTTP port is not known");
            return;
        }
        long start = System.nanoTime();
        long deadline = start + settings.timeout().toNanos();
        int answered = 0;
        int failed = 0;
        String lastFailure = "";
        for (int round = 0; round < settings.rounds(); round++) {
            for (Call call : calls(round)) {
                while (true) {
                    String failure = send(port, call);
                    if (failure == null) {
                        answered++;
                        answeredCount.increment();
                        break;
                    }
                    failed++;
                    failedCount.increment();
                    lastFailure = call.path() + ": " + failure;
                    if (System.nanoTime() - deadline >= 0 || Thread.currentThread().isInterrupted()) {
                        LOG.warn("warm-up gave up after {} ms ({} requests answered, {} failed; last: {}); "
                                        + "reporting ready anyway", ms(start), answered, failed, lastFailure);
                        return;
                    }
                    sleep(250);                              // expert groups starting: try again shortly
                }
            }
        }
        LOG.info("warm-up done in {} ms: {} requests answered ({} retried)", ms(start), answered, failed);
    }

    /** One round: the same prompt non-streamed twice (a response-cache miss, then a hit), streamed, and as a completion. */
    private List<Call> calls(int round) {
        String prompt = "Warm-up " + round + ": what is 12 + 30?";
        String chat = """
                {"model":"%s","messages":[{"role":"user","content":"%s"}],"max_tokens":16,"temperature":0,\
                "dragon":{"ignore_eos":true}}""".formatted(model, prompt);
        String stream = """
                {"model":"%s","messages":[{"role":"user","content":"%s"}],"max_tokens":16,"stream":true,\
                "stream_options":{"include_usage":true},"dragon":{"ignore_eos":true,"cache":false}}"""
                .formatted(model, prompt);
        String completion = """
                {"model":"%s","prompt":"%s","max_tokens":8,"dragon":{"cache":false}}""".formatted(model, prompt);
        return List.of(new Call("/v1/chat/completions", chat), new Call("/v1/chat/completions", chat),
                new Call("/v1/chat/completions", stream), new Call("/v1/completions", completion));
    }

    /** Null when answered with 200 and a body; else why not. */
    private String send(int port, Call call) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + call.path()))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header(DragonHeaders.TENANT, TENANT).header(DragonHeaders.REQUEST_ID, "warm-up")
                .POST(HttpRequest.BodyPublishers.ofString(call.body())).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && !response.body().isEmpty() ? null
                    : "HTTP " + response.statusCode() + " " + abbreviate(response.body());
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private record Call(String path, String body) {
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
