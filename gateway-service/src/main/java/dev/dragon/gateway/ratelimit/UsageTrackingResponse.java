package dev.dragon.gateway.ratelimit;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Relays a generation response unchanged (except for a usage chunk the client did not ask for) and reports
 * the tokens it really cost, once, when relaying ends: the {@code usage} of the JSON body or of the stream's
 * usage chunk; 0 for a refused request (4xx/5xx, or no response at all); for a stream cut short before its
 * usage chunk, the estimated prompt plus one token per relayed event; else the reservation itself. What
 * arrives of a stream is flushed at once (its complete events), so tokens reach the client as the router sends
 * them; the router's buffers are passed on as they are unless an event must be re-cut or dropped.
 */
final class UsageTrackingResponse extends ServerHttpResponseDecorator {

    /** JSON bodies are copied for their usage up to this size (a completion is far smaller). */
    private static final int MAX_COPY = 1 << 20;

    private final TokenDemand demand;
    private final JsonMapper mapper;
    private final LongConsumer onActual;
    private final AtomicBoolean reported = new AtomicBoolean();
    private volatile boolean relaying;
    private final SseUsageScanner scanner;
    private volatile long jsonUsage = -1;

    UsageTrackingResponse(ServerHttpResponse delegate, TokenDemand demand, JsonMapper mapper, LongConsumer onActual) {
        super(delegate);
        this.demand = demand;
        this.mapper = mapper;
        this.onActual = onActual;
        this.scanner = new SseUsageScanner(mapper, demand.clientWantsUsage());
    }

    @Override
    public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
        relaying = true;
        if (isEventStream()) {
            return writeAndFlushWith(Flux.from(body).map(Flux::just));
        }
        BoundedCopy copy = new BoundedCopy();
        Flux<DataBuffer> tee = Flux.<DataBuffer>from(body)
                .doOnNext(copy::add)
                .doOnComplete(() -> jsonUsage = copy.complete() ? usageOf(copy.bytes()) : -1)
                .doFinally(signal -> report());
        return super.writeWith(tee);
    }

    @Override
    public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
        relaying = true;
        if (!demand.clientWantsUsage()) {
            // the usage chunk is taken out, so a length the router declared (a replay written whole has one) is
            // too long: the client would wait for bytes that never come; the stream goes out chunked instead
            getHeaders().remove(HttpHeaders.CONTENT_LENGTH);
        }
        // one flush per buffer from the router, as Spring Cloud Gateway relays a stream; the buffer itself unless
        // it must be re-cut (see SseUsageScanner)
        Flux<List<DataBuffer>> flushes = Flux.from(body)
                .concatMap(Flux::from)
                .map(buffer -> scanner.accept(buffer, bufferFactory()))
                .concatWith(Mono.fromSupplier(scanner::remainder).filter(rest -> rest.length > 0)
                        .map(rest -> List.of(bufferFactory().wrap(rest))))
                .filter(group -> !group.isEmpty());
        return super.writeAndFlushWith(flushes
                .map(group -> Flux.fromIterable(group).doOnDiscard(DataBuffer.class, DataBufferUtils::release))
                .doFinally(signal -> report()));
    }

    /**
     * The request ended before any response was relayed (upstream failure, client gone while waiting):
     * nothing was used. Once relaying started, the relay's own end reports.
     */
    void abandon() {
        if (!relaying && reported.compareAndSet(false, true)) {
            onActual.accept(0);
        }
    }

    private void report() {
        if (!reported.compareAndSet(false, true)) {
            return;
        }
        HttpStatusCode status = getStatusCode();
        long actual;
        if (scanner.usageTokens() >= 0) {
            actual = scanner.usageTokens();
        } else if (jsonUsage >= 0) {
            actual = jsonUsage;
        } else if (status != null && status.isError()) {
            actual = 0;
        } else if (demand.streaming()) {
            actual = demand.promptTokens() + scanner.dataEvents();
        } else {
            actual = demand.reserved();
        }
        onActual.accept(actual);
    }

    private boolean isEventStream() {
        MediaType type = getHeaders().getContentType();
        return type != null && MediaType.TEXT_EVENT_STREAM.isCompatibleWith(type);
    }

    private long usageOf(byte[] json) {
        try {
            var usage = mapper.readTree(json).path("usage");
            return usage.isObject() ? usage.path("prompt_tokens").asLong(0) + usage.path("completion_tokens").asLong(0) : -1;
        } catch (RuntimeException notJson) {
            return -1;
        }
    }

    /** The relayed JSON body, kept while it stays within {@link #MAX_COPY}; incomplete once a part was left out. */
    private static final class BoundedCopy {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private boolean overflowed;

        void add(DataBuffer buffer) {
            int readable = buffer.readableByteCount();
            if (overflowed || bytes.size() + readable > MAX_COPY) {
                overflowed = true;
                return;
            }
            int position = buffer.readPosition();
            byte[] chunk = new byte[readable];
            buffer.read(chunk);
            buffer.readPosition(position);
            bytes.writeBytes(chunk);
        }

        boolean complete() {
            return !overflowed;
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }
}
