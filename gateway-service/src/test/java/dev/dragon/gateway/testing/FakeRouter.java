package dev.dragon.gateway.testing;

import io.netty.buffer.Unpooled;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP server that answers like router-service for the gateway's edge cases: OpenAI JSON and SSE
 * completions with a chosen {@code usage}, streams whose timing the test controls (held open until
 * {@link #releaseStreams()}, or endless until the client goes away), slow answers, feedback and models. It
 * records what it received and how many streams were cancelled. It can be stopped and started again on the
 * same port.
 */
public final class FakeRouter implements AutoCloseable {

    /** A request as the router saw it. */
    public record Seen(String method, String path, Map<String, String> headers, JsonNode body, String rawBody) {
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final LoopResources LOOP = LoopResources.create("fake-router", 1, true);

    private final int port;
    private final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
    private final AtomicInteger cancelledStreams = new AtomicInteger();
    private final AtomicInteger received = new AtomicInteger();
    private volatile DisposableServer server;
    private volatile int promptTokens = 5;
    private volatile int completionTokens = 7;
    private volatile Duration delay = Duration.ZERO;
    private volatile boolean holdStreams;
    private volatile boolean endlessStreams;
    private volatile int streamChunks;
    private volatile boolean wholeStreams;
    private volatile Sinks.Empty<Void> release = Sinks.empty();

    private FakeRouter(int port) {
        this.port = port;
    }

    public static FakeRouter started() {
        FakeRouter router = new FakeRouter(EmbeddedRedis.freePort());
        router.start();
        return router;
    }

    public synchronized void start() {
        // its own event loop, so that the gateway's threads do only the gateway's work (the benchmark times them)
        server = HttpServer.create().runOn(LOOP).host("127.0.0.1").port(port)
                .route(r -> r.post("/v1/chat/completions", this::completion)
                        .post("/v1/completions", this::completion)
                        .post("/v1/feedback", (req, res) -> record(req).flatMap(s -> json(res.status(202),
                                "{\"accepted\":true}")))
                        .get("/v1/models", (req, res) -> record(req).flatMap(s -> json(res,
                                "{\"object\":\"list\",\"data\":[{\"id\":\"dragon-moe-mini\",\"object\":\"model\"}]}"))))
                .bindNow(Duration.ofSeconds(30));
    }

    public synchronized void stop() {
        if (server != null) {
            server.disposeNow(Duration.ofSeconds(10));
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** Resets behaviour to: immediate answers, usage 5 + 7, streams that run to the end. */
    public void reset() {
        seen.clear();
        cancelledStreams.set(0);
        received.set(0);
        promptTokens = 5;
        completionTokens = 7;
        delay = Duration.ZERO;
        holdStreams = false;
        endlessStreams = false;
        streamChunks = 0;
        wholeStreams = false;
        release = Sinks.empty();
    }

    public void usage(int prompt, int completion) {
        promptTokens = prompt;
        completionTokens = completion;
    }

    public void delay(Duration answerDelay) {
        delay = answerDelay;
    }

    /** Streams send their role chunk and first content chunk, then wait for {@link #releaseStreams()}. */
    public void holdStreams() {
        holdStreams = true;
    }

    public void releaseStreams() {
        release.tryEmitEmpty();
    }

    /** Streams send a content chunk every 20 ms until the client goes away. */
    public void endlessStreams() {
        endlessStreams = true;
    }

    /**
     * Streams carry {@code contentChunks} content events (plus the role and the finish event, each flushed on
     * its own, as the router does) instead of the two-word answer: the benchmark's long stream.
     */
    public void streamChunks(int contentChunks) {
        streamChunks = contentChunks;
    }

    /** Streams are written at once with a Content-Length, as router-service replays a near-cache hit. */
    public void wholeStreams() {
        wholeStreams = true;
    }

    public int cancelledStreams() {
        return cancelledStreams.get();
    }

    /** The next request the router received (waits up to 10 s), or null. */
    public Seen next() throws InterruptedException {
        return seen.poll(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Requests received since the last {@link #reset()}. */
    public int received() {
        return received.get();
    }

    private Publisher<Void> completion(HttpServerRequest req, HttpServerResponse res) {
        echoRequestId(req, res);
        return record(req).delayElement(delay).flatMap(request -> {
            JsonNode body = request.body();
            if (body.path("stream").asBoolean(false)) {
                boolean usage = body.path("stream_options").path("include_usage").asBoolean(false);
                res.status(200).header("content-type", "text/event-stream");
                if (wholeStreams) {
                    return events(usage).collect(Collectors.joining()).flatMap(all -> {
                        byte[] bytes = all.getBytes(StandardCharsets.UTF_8);
                        res.header("content-length", Integer.toString(bytes.length));
                        return res.sendByteArray(Mono.just(bytes)).then();
                    });
                }
                if (streamChunks > 0) {
                    return res.send(longStream(usage).map(e -> Unpooled.wrappedBuffer(e.getBytes(StandardCharsets.UTF_8))),
                            flushEach -> true).then();
                }
                return res.sendString(events(usage)).then();
            }
            return json(res, "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
                    + "\"message\":{\"role\":\"assistant\",\"content\":\"Hello there\"},\"finish_reason\":\"stop\"}],"
                    + "\"usage\":" + usage() + "}");
        });
    }

    private Flux<String> events(boolean includeUsage) {
        Flux<String> first = Flux.just(chunk("{\"role\":\"assistant\"}", null), chunk("{\"content\":\"Hello\"}", null));
        if (endlessStreams) {
            return first.concatWith(Flux.interval(Duration.ofMillis(20)).map(i -> chunk("{\"content\":\" more\"}", null)))
                    .doOnCancel(cancelledStreams::incrementAndGet);
        }
        Mono<String> gate = holdStreams ? release.asMono().then(Mono.empty()) : Mono.empty();
        Flux<String> rest = Flux.just(chunk("{\"content\":\" there\"}", null), chunk("{}", "\"stop\""));
        return Flux.concat(first, gate, rest, tail(includeUsage)).doOnCancel(cancelledStreams::incrementAndGet);
    }

    private Flux<String> longStream(boolean includeUsage) {
        int content = streamChunks;
        return Flux.concat(Flux.just(chunk("{\"role\":\"assistant\"}", null)),
                Flux.range(0, content).map(i -> chunk("{\"content\":\" tok" + i + "\"}", null)),
                Flux.just(chunk("{}", "\"stop\"")), tail(includeUsage));
    }

    private Flux<String> tail(boolean includeUsage) {
        return includeUsage
                ? Flux.just("data: {\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":"
                        + usage() + "}\n\n", "data: [DONE]\n\n")
                : Flux.just("data: [DONE]\n\n");
    }

    private static String chunk(String delta, String finishReason) {
        return "data: {\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":"
                + delta + ",\"finish_reason\":" + finishReason + "}]}\n\n";
    }

    private String usage() {
        return "{\"prompt_tokens\":" + promptTokens + ",\"completion_tokens\":" + completionTokens
                + ",\"total_tokens\":" + (promptTokens + completionTokens) + "}";
    }

    /** Like router-service: the request id the gateway sent comes back on the response. */
    private static void echoRequestId(HttpServerRequest req, HttpServerResponse res) {
        String id = req.requestHeaders().get("x-dragon-request-id");
        if (id != null) {
            res.header("x-dragon-request-id", id);
        }
    }

    private Mono<Seen> record(HttpServerRequest req) {
        Map<String, String> headers = new java.util.HashMap<>();
        req.requestHeaders().forEach(e -> headers.put(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue()));
        return req.receive().aggregate().asString().defaultIfEmpty("").map(text -> {
            Seen s = new Seen(req.method().name(), req.path().isEmpty() ? "/" : "/" + req.path(), headers,
                    text.isEmpty() ? JSON.missingNode() : JSON.readTree(text), text);
            seen.add(s);
            received.incrementAndGet();
            return s;
        });
    }

    private static Mono<Void> json(HttpServerResponse res, String body) {
        return res.header("content-type", "application/json").sendString(Mono.just(body)).then();
    }
}
