package dev.dragon.router.error;

import dev.dragon.contracts.openai.OpenAiJson;
import dev.dragon.support.web.RequestIdWebFilter;
import dev.dragon.support.web.RequestIds;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Answers every failure that reaches the web layer (ours, Spring's 404/405/415, body limits, bugs) with the
 * OpenAI error body from {@link ErrorMapping}. Runs before Spring Boot's default error handler.
 */
public final class ApiErrorHandler implements WebExceptionHandler, Ordered {

    /** Before Spring Boot's {@code ErrorWebExceptionHandler} (-1). */
    public static final int ORDER = -2;

    private final ErrorMapping mapping;
    private final OpenAiJson json;

    public ApiErrorHandler(ErrorMapping mapping, OpenAiJson json) {
        this.mapping = mapping;
        this.json = json;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(error);
        }
        ApiError e;
        try (var ignored = MDC.putCloseable(RequestIds.KEY, RequestIdWebFilter.requestId(exchange))) {
            e = mapping.map(error);
        }
        response.setStatusCode(HttpStatusCode.valueOf(e.status()));
        HttpHeaders headers = response.getHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        if (e.retryAfterSeconds() != null) {
            headers.set(HttpHeaders.RETRY_AFTER, Integer.toString(e.retryAfterSeconds()));
        }
        byte[] body = json.write(e.body());
        headers.setContentLength(body.length);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
