package dev.dragon.gateway.validation;

import dev.dragon.contracts.openai.ChatCompletionRequest;
import dev.dragon.contracts.openai.ChatMessage;
import dev.dragon.contracts.openai.CompletionRequest;
import dev.dragon.contracts.openai.FeedbackRequest;
import dev.dragon.contracts.openai.GenerationParameters;
import dev.dragon.contracts.openai.OpenAiJson;
import dev.dragon.contracts.openai.RequestLimits;
import dev.dragon.contracts.openai.RequestValidator;
import dev.dragon.contracts.openai.Violation;
import dev.dragon.contracts.openai.ViolationException;
import dev.dragon.gateway.auth.Authenticated;
import dev.dragon.gateway.auth.TenantPlan;
import dev.dragon.gateway.error.InvalidRequestException;
import dev.dragon.gateway.error.ModelNotAllowedException;
import dev.dragon.gateway.error.PayloadTooLargeException;
import dev.dragon.gateway.error.UnsupportedMediaTypeException;
import dev.dragon.gateway.ratelimit.DataBuffers;
import dev.dragon.gateway.ratelimit.OverLimitFilter;
import dev.dragon.gateway.ratelimit.TokenDemand;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the body of a request that has one (at most {@code maxBodyBytes}, else 413), parses and validates it
 * with the same codec and rules as the router (400 naming the field), enforces the tenant's plan (403 for a
 * model it may not use, 400 for {@code max_tokens} above its cap or a request larger than its whole
 * tokens-per-minute budget) and estimates the tokens it may cost. An accepted body is forwarded as the very
 * bytes the client sent, except that a streaming request that did not ask for the usage chunk gets
 * {@code "stream_options":{"include_usage":true}} spliced in before its closing brace ({@link UsageOption}) so
 * its real usage can be counted (the chunk is taken out again on the way back), and a request without
 * {@code max_tokens} whose plan caps requests below the router's default gets {@code "max_tokens":<cap>}. The body is forwarded from
 * memory, so it can be sent again when a connect attempt fails.
 */
public final class RequestBodyFilter implements GlobalFilter, Ordered {

    public static final int ORDER = OverLimitFilter.ORDER + 100;

    private final OpenAiJson json;
    private final int maxBodyBytes;
    private final int maxStopSequences;
    private final double charsPerToken;
    private final int routerDefaultMaxTokens;

    /**
     * @param routerDefaultMaxTokens the {@code max_tokens} router-service applies to a request without one: a plan
     *                               that caps requests lower gets its cap written into such a request
     */
    public RequestBodyFilter(OpenAiJson json, int maxBodyBytes, int maxStopSequences, double charsPerToken,
                             int routerDefaultMaxTokens) {
        this.json = json;
        this.maxBodyBytes = maxBodyBytes;
        this.maxStopSequences = maxStopSequences;
        this.charsPerToken = charsPerToken;
        this.routerDefaultMaxTokens = routerDefaultMaxTokens;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        BodyKind kind = BodyKind.of(exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR));
        if (kind == null) {
            return chain.filter(exchange);
        }
        MediaType type = exchange.getRequest().getHeaders().getContentType();
        if (type != null && !MediaType.APPLICATION_JSON.isCompatibleWith(type)) {
            // no Content-Type is read as JSON; a declared other type (text/plain, a form) is refused, as OpenAI does
            return Mono.error(new UnsupportedMediaTypeException(type));
        }
        if (exchange.getRequest().getHeaders().getContentLength() > maxBodyBytes) {
            return Mono.error(new PayloadTooLargeException(maxBodyBytes));
        }
        Authenticated auth = exchange.getRequiredAttribute(Authenticated.ATTRIBUTE);
        return DataBufferUtils.join(exchange.getRequest().getBody(), maxBodyBytes)
                .map(DataBuffers::drain)
                .defaultIfEmpty(new byte[0])
                .onErrorMap(DataBufferLimitException.class, e -> new PayloadTooLargeException(maxBodyBytes))
                .flatMap(body -> chain.filter(forward(exchange, accept(exchange, kind, auth.plan(), body))));
    }

    /** Checks {@code body}; returns what to forward and records the request's token demand. */
    private byte[] accept(ServerWebExchange exchange, BodyKind kind, TenantPlan plan, byte[] body) {
        RequestValidator validator = new RequestValidator(new RequestLimits(plan.maxTokensPerRequest(), maxStopSequences));
        try {
            return switch (kind) {
                case FEEDBACK -> {
                    reject(validator.check(json.read(body, FeedbackRequest.class)));
                    yield body;
                }
                case CHAT -> {
                    ChatCompletionRequest request = json.read(body, ChatCompletionRequest.class);
                    yield generation(exchange, plan, request, validator.check(request), promptChars(request), body);
                }
                case COMPLETION -> {
                    CompletionRequest request = json.read(body, CompletionRequest.class);
                    long chars = request.prompt() == null ? 0 : request.prompt().length();
                    yield generation(exchange, plan, request, validator.check(request), chars, body);
                }
            };
        } catch (ViolationException e) {
            throw new InvalidRequestException(e.violation());
        }
    }

    private byte[] generation(ServerWebExchange exchange, TenantPlan plan, GenerationParameters request,
                              Optional<Violation> violation, long promptChars, byte[] body) {
        reject(violation);
        if (!plan.allows(request.model())) {
            throw new ModelNotAllowedException(request.model());
        }
        boolean capped = request.requestedMaxTokens() == null && plan.maxTokensPerRequest() < routerDefaultMaxTokens;
        long maxCompletion = request.requestedMaxTokens() != null ? request.requestedMaxTokens()
                : Math.min(plan.maxTokensPerRequest(), routerDefaultMaxTokens);
        TokenDemand demand = new TokenDemand((long) Math.ceil(promptChars / charsPerToken), maxCompletion,
                request.streaming(), request.includeUsage());
        if (demand.reserved() > plan.tokensPerMinute()) {
            throw new InvalidRequestException(new Violation(request.maxTokensParam(), "This request may use about "
                    + demand.reserved() + " tokens (estimated prompt + " + request.maxTokensParam()
                    + "), more than your plan's limit of " + plan.tokensPerMinute() + " tokens per minute. "
                    + "Shorten the prompt or lower " + request.maxTokensParam() + ".", "tokens_above_plan_limit"));
        }
        exchange.getAttributes().put(TokenDemand.ATTRIBUTE, demand);
        if (capped) {
            // without max_tokens the router would generate up to its default, above what this plan allows
            byte[] spliced = UsageOption.spliceMaxTokens(body, maxCompletion);
            body = spliced != null ? spliced : rewrite(body, tree -> tree.put("max_tokens", maxCompletion));
        }
        if (!demand.streaming() || demand.clientWantsUsage()) {
            return body;
        }
        byte[] spliced = UsageOption.splice(body);
        if (spliced != null) {
            return spliced;
        }
        // the client sent stream_options (without include_usage: true), or wrote a key with escapes: rewrite it
        return rewrite(body, tree -> tree.putObject("stream_options").put("include_usage", true));
    }

    /** The body re-serialised with {@code change} applied: only when a member cannot be spliced in safely. */
    private byte[] rewrite(byte[] body, Consumer<ObjectNode> change) {
        ObjectNode tree = (ObjectNode) json.mapper().readTree(body);
        change.accept(tree);
        return json.mapper().writeValueAsBytes(tree);
    }

    private static long promptChars(ChatCompletionRequest request) {
        long chars = 0;
        if (request.messages() != null) {
            for (ChatMessage m : request.messages()) {
                chars += m == null || m.content() == null ? 0 : m.content().length();
            }
        }
        return chars;
    }

    private static void reject(Optional<Violation> violation) {
        violation.ifPresent(v -> {
            throw new InvalidRequestException(v);
        });
    }

    private static ServerWebExchange forward(ServerWebExchange exchange, byte[] body) {
        ServerHttpRequest request = exchange.getRequest().mutate()
                .headers(h -> {
                    h.remove(HttpHeaders.TRANSFER_ENCODING);
                    h.setContentLength(body.length);
                })
                .build();
        ServerHttpRequest replayable = new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                return Flux.defer(() -> Flux.just(exchange.getResponse().bufferFactory().wrap(body)));
            }
        };
        return exchange.mutate().request(replayable).build();
    }


    @Override
    public int getOrder() {
        return ORDER;
    }
}
