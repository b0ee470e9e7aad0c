package dev.dragon.router.api;

import dev.dragon.contracts.http.ServerTiming;
import dev.dragon.contracts.openai.ChatCompletionRequest;
import dev.dragon.contracts.openai.CompletionRequest;
import dev.dragon.contracts.openai.GenerationParameters;
import dev.dragon.contracts.openai.OpenAiJson;
import dev.dragon.contracts.openai.ViolationException;
import dev.dragon.core.engine.LocalEngine;
import dev.dragon.core.sampling.SamplingParams;
import dev.dragon.router.cache.CacheOutcome;
import dev.dragon.router.cache.ResponseCacheKey;
import dev.dragon.router.config.RouterProperties;
import dev.dragon.router.config.ServedModel;
import dev.dragon.router.error.ErrorMapping;
import dev.dragon.router.error.InvalidRequestException;
import dev.dragon.router.events.EventPublisher;
import dev.dragon.router.scheduling.CachedGenerations;
import dev.dragon.router.scheduling.GenerationScheduler;
import dev.dragon.router.scheduling.NearEntry;
import dev.dragon.router.scheduling.PreparedGeneration;
import dev.dragon.router.scheduling.RecordedGeneration;
import dev.dragon.router.scheduling.RequestMapper;
import dev.dragon.router.scheduling.TokenEvent;
import dev.dragon.support.web.DragonHeaders;
import dev.dragon.support.web.RequestIdWebFilter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code POST /v1/chat/completions} and {@code POST /v1/completions}: parse strictly, validate and key on the
 * event loop, answer a near-cache hit there in one write; otherwise map to a generation (off the event loop:
 * tokenizing is CPU work), then answer with one JSON object or a stream of Server-Sent Events. Failures become OpenAI error bodies in {@link dev.dragon.router.error.ApiErrorHandler}.
 */
@RestController
public class CompletionsController {

    private final CachedGenerations generations;
    private final GenerationScheduler scheduler;
    private final RequestMapper mapper;
    private final OpenAiJson json;
    private final EventStreams streams;
    private final TokenText tokenText;
    private final ServedModel model;
    private final String defaultTenant;
    private final Interactions interactions;

    /** @param events publishes one interaction per completed request, when the events package provides it */
    public CompletionsController(CachedGenerations generations, RequestMapper mapper, OpenAiJson json,
                                 ErrorMapping errors, ServedModel model, RouterProperties properties,
                                 ObjectProvider<EventPublisher> events) {
        this.generations = generations;
        this.scheduler = generations.scheduler();
        this.mapper = mapper;
        this.json = json;
        this.streams = new EventStreams(json, errors);
        this.tokenText = new TokenText(scheduler.engine().model().tokenizer());
        this.model = model;
        this.defaultTenant = properties.tenant().defaultTenant();
        this.interactions = new Interactions(events.getIfAvailable(), model, Clock.systemUTC());
    }

    @PostMapping("/v1/chat/completions")
    public Mono<Void> chat(@RequestBody(required = false) byte[] body, ServerWebExchange exchange) {
        return generate(body, exchange, ChatCompletionRequest.class, mapper::checkChat, mapper::chat, ResponseKeys.CHAT,
                "chatcmpl-", ChatAssembly::new);
    }

    @PostMapping("/v1/completions")
    public Mono<Void> completions(@RequestBody(required = false) byte[] body, ServerWebExchange exchange) {
        return generate(body, exchange, CompletionRequest.class, mapper::checkCompletion, mapper::completion,
                ResponseKeys.COMPLETION, "cmpl-", CompletionAssembly::new);
    }

    /** Builds the wire objects of one endpoint. */
    @FunctionalInterface
    private interface AssemblyFactory {
        ResponseAssembly create(ResponseMeta meta, TokenText tokenText, boolean logprobs, boolean experts);
    }

    /** A request that passed validation (not tokenized yet), with its response-cache key when it has one. */
    private record Checked<R extends GenerationParameters>(R request, SamplingParams sampling,
                                                           Optional<ResponseCacheKey> key) {
    }

    private record Accepted<R extends GenerationParameters>(R request, PreparedGeneration generation) {
    }

    /** Who asked and when: what every response object and the interaction event of a request repeat. */
    private record Call(String requestId, String tenant, long acceptedAtMillis, long acceptedAtNanos, String idPrefix) {
    }

    /** How a near-cache hit is framed: its rendering is kept per framing. */
    private record Framing(boolean stream, boolean usage) {
    }

    /**
     * Parse, validate and key on the event loop (cheap); a near-cache hit is answered right there in one write.
     * Anything else is tokenized off the event loop and answered through cache-service or the engine.
     */
    private <R extends GenerationParameters> Mono<Void> generate(byte[] body, ServerWebExchange exchange, Class<R> type,
            Function<R, SamplingParams> check, BiFunction<R, SamplingParams, PreparedGeneration> prepare,
            ResponseKeys.Start<R> keys, String idPrefix, AssemblyFactory assemblies) {
        Call call = new Call(RequestIdWebFilter.requestId(exchange), tenant(exchange), System.currentTimeMillis(),
                System.nanoTime(), idPrefix);
        exchange.getResponse().getHeaders().set(DragonHeaders.CACHE, CacheOutcome.BYPASS.header());  // until looked up
        return Mono.fromCallable(() -> {
            R request = parse(body, type);
            SamplingParams sampling = check.apply(request);
            return new Checked<>(request, sampling, ResponseKeys.of(keys, request, sampling, call.tenant(),
                    model.version(), scheduler.engine().adapter().version()));
        }).flatMap(checked -> checked.key().flatMap(generations::nearHit)
                .map(hit -> replayNear(exchange, call, checked, hit, assemblies))
                .orElseGet(() -> Mono.fromCallable(() -> new Accepted<>(checked.request(),
                                prepare.apply(checked.request(), checked.sampling())))
                        .subscribeOn(Schedulers.parallel())
                        .flatMap(accepted -> generations.answer(call.requestId(), call.tenant(), accepted.generation(),
                                        checked.key())
                                .flatMap(answer -> respond(exchange, call, accepted, answer, assemblies)))));
    }

    /** A near-cache hit: the entry's bytes for this framing (rendered on its first hit), this response's id. */
    private <R extends GenerationParameters> Mono<Void> replayNear(ServerWebExchange exchange, Call call,
            Checked<R> checked, NearEntry hit, AssemblyFactory assemblies) {
        RecordedGeneration recorded = hit.recorded();
        String adapter = recorded.completion().adapterVersion();
        R request = checked.request();
        Framing framing = new Framing(request.streaming(), request.streaming() && request.includeUsage());
        ReplayTemplate template = hit.rendering(framing, r -> {
            ResponseAssembly assembly = assemblies.create(new ResponseMeta(call.idPrefix() + ReplayTemplate.ID_MARK,
                            ReplayTemplate.CREATED_MARK, model.id(), model.fingerprint(adapter)), tokenText,
                    checked.sampling().logprobs(), request.dragonOrDefault().wantsExperts());
            List<TokenEvent> events = r.events(call.requestId());
            String rendered = framing.stream()
                    ? String.join("", streams.frames(events, assembly, framing.usage()))
                    : json.writeString(EventStreams.whole(events, c -> assembly));
            return ReplayTemplate.of(rendered, call.idPrefix());
        });
        String id = ResponseMeta.newId(call.idPrefix());
        byte[] bytes = template.render(id, call.acceptedAtMillis() / 1000);
        ServerHttpResponse response = exchange.getResponse();
        HttpHeaders headers = response.getHeaders();
        headers.set(DragonHeaders.MODEL_VERSION, model.version());
        headers.set(DragonHeaders.ADAPTER_VERSION, adapter);
        headers.set(DragonHeaders.CACHE, CacheOutcome.HIT.header());
        headers.set(DragonHeaders.CACHE_TIER, "near");
        if (framing.stream()) {
            sseHeaders(headers);
        } else {
            headers.setContentType(MediaType.APPLICATION_JSON);
        }
        headers.setContentLength(bytes.length);
        // handler entry to the write: parse, validate, key, look up, render (the body was read before)
        headers.set(DragonHeaders.SERVER_TIMING, ServerTiming.entry("near", System.nanoTime() - call.acceptedAtNanos()));
        return response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)))
                .doOnSuccess(done -> interactions.replayed(id, call.requestId(), call.tenant(), hit.promptIds(), recorded,
                        call.acceptedAtMillis()));
    }

    private <R extends GenerationParameters> Mono<Void> respond(ServerWebExchange exchange, Call call,
            Accepted<R> accepted, CachedGenerations.Answer answer, AssemblyFactory assemblies) {
        ServerHttpResponse response = exchange.getResponse();
        response.getHeaders().set(DragonHeaders.MODEL_VERSION, model.version());
        response.getHeaders().set(DragonHeaders.CACHE, answer.cache().header());
        if (answer.cache() == CacheOutcome.HIT) {
            response.getHeaders().set(DragonHeaders.CACHE_TIER, "shared");
        }
        PreparedGeneration g = accepted.generation();
        String id = ResponseMeta.newId(call.idPrefix());
        long created = call.acceptedAtMillis() / 1000;
        Flux<TokenEvent> events = interactions.observe(answer.events(), id, call.requestId(), call.tenant(),
                g.promptIds(), call.acceptedAtMillis());
        Function<String, ResponseAssembly> assemble = adapter -> {
            response.getHeaders().set(DragonHeaders.ADAPTER_VERSION, adapter);
            return assemblies.create(new ResponseMeta(id, created, model.id(), model.fingerprint(adapter)),
                    tokenText, g.sampling().logprobs(), g.includeExperts());
        };
        if (accepted.request().streaming()) {
            LocalEngine engine = scheduler.engine();
            var frames = streams.sse(events, () -> {
                sseHeaders(response.getHeaders());
                return assemble.apply(answer.adapterVersion() != null ? answer.adapterVersion()
                        : engine.adapter().version());
            }, accepted.request().includeUsage());
            return response.writeAndFlushWith(frames.map(f -> Mono.just(
                    response.bufferFactory().wrap(f.getBytes(StandardCharsets.UTF_8)))));
        }
        return streams.whole(events, c -> assemble.apply(c.adapterVersion()))
                .flatMap(whole -> writeJson(response, whole));
    }

    private static void sseHeaders(HttpHeaders headers) {
        headers.setContentType(MediaType.TEXT_EVENT_STREAM);
        headers.setCacheControl("no-cache");
        headers.set("X-Accel-Buffering", "no");
    }

    /** The {@code x-dragon-tenant} header (set by the gateway), or the configured default tenant. */
    private String tenant(ServerWebExchange exchange) {
        String tenant = exchange.getRequest().getHeaders().getFirst(DragonHeaders.TENANT);
        return tenant == null || tenant.isBlank() ? defaultTenant : tenant.strip();
    }

    private <R> R parse(byte[] body, Class<R> type) {
        try {
            return json.read(body, type);
        } catch (ViolationException e) {
            throw new InvalidRequestException(e.violation(), e);
        }
    }

    private Mono<Void> writeJson(ServerHttpResponse response, Object value) {
        byte[] bytes = json.write(value);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        response.getHeaders().setContentLength(bytes.length);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)));
    }
}
