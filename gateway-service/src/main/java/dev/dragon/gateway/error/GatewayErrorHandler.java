package dev.dragon.gateway.error;

import dev.dragon.contracts.openai.ErrorResponse;
import dev.dragon.contracts.openai.OpenAiJson;
import dev.dragon.gateway.metrics.GatewayMetrics;
import dev.dragon.gateway.routing.TransportFailure;
import dev.dragon.support.logging.RequestMdc;
import dev.dragon.support.web.RequestIdWebFilter;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.support.ServiceUnavailableException;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * The one place where a failure becomes a response: status, OpenAI error body
 * {@code {"error":{"message","type","param","code"}}}, {@code Retry-After} where waiting helps, and the
 * failure metrics. Serves the public port (ahead of Spring Boot's default handler) and the admin port.
 */
public final class GatewayErrorHandler implements WebExceptionHandler, Ordered {

    private static final Logger log = LoggerFactory.getLogger(GatewayErrorHandler.class);

    private final OpenAiJson json;
    private final GatewayMetrics metrics;
    private final long unavailableRetryAfterSeconds;
    private final FaultLog faults = new FaultLog(log);

    public GatewayErrorHandler(OpenAiJson json, GatewayMetrics metrics, Duration unavailableRetryAfter) {
        this.json = json;
        this.metrics = metrics;
        this.unavailableRetryAfterSeconds = Math.max(1, unavailableRetryAfter.toSeconds());
    }

    /** What the client is told. */
    record Reply(HttpStatusCode status, ErrorResponse body, Long retryAfterSeconds) {
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        // the gateway runs without automatic context propagation: its log lines take the id from the exchange
        return RequestMdc.call(RequestIdWebFilter.requestId(exchange), () -> answer(exchange, failure));
    }

    private Mono<Void> answer(ServerWebExchange exchange, Throwable failure) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            // A stream that already started cannot become an error response; dropping the connection tells the client.
            log.warn("failed after the response started: {}", failure.toString());
            return Mono.error(failure);
        }
        Reply reply = resolve(exchange, failure);
        byte[] body = json.write(reply.body());
        response.setStatusCode(reply.status());
        HttpHeaders headers = response.getHeaders();
        headers.remove(HttpHeaders.TRANSFER_ENCODING);
        headers.remove(HttpHeaders.CONTENT_ENCODING);
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.setContentLength(body.length);
        if (reply.retryAfterSeconds() != null) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(reply.retryAfterSeconds()));
        }
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
    }

    Reply resolve(ServerWebExchange exchange, Throwable failure) {
        if (failure instanceof GatewayException g) {
            return known(g);
        }
        if (failure instanceof ServiceUnavailableException) {
            return unavailable("router-service is unavailable (circuit open); retry shortly.", "circuit_open");
        }
        if (failure instanceof DataBufferLimitException) {
            return reply(HttpStatus.PAYLOAD_TOO_LARGE, "invalid_request_error", "request_too_large",
                    "Request body too large.", null);
        }
        if (TransportFailure.notConnected(failure) || TransportFailure.closedBeforeResponse(failure)) {
            faults.warn("router-service unreachable: {}", failure.toString());
            return unavailable("router-service is unreachable; retry shortly.", "upstream_unavailable");
        }
        if (failure instanceof DataAccessException) {
            faults.warn("key store unreachable: {}", failure.toString());
            return unavailable("The API key store is unavailable; retry shortly.", "store_unavailable");
        }
        if (failure instanceof ResponseStatusException s) {
            return fromStatus(exchange, s.getStatusCode(), s);
        }
        if (TransportFailure.broken(failure)) {
            // the connection to a router broke: mid-response (never retried), or before one on every attempt
            faults.warn("router-service connection failed mid-request: {}", failure.toString());
            return reply(HttpStatus.BAD_GATEWAY, "server_error", "upstream_error",
                    "router-service closed the connection before answering; retry.", null);
        }
        log.error("unexpected failure", failure);
        return reply(HttpStatus.INTERNAL_SERVER_ERROR, "server_error", "internal_error",
                "The gateway failed to process the request.", null);
    }

    private Reply known(GatewayException g) {
        Long retryAfter = null;
        switch (g) {
            case AuthenticationFailedException a -> metrics.authFailure(a.reason().label());
            case ModelNotAllowedException m -> metrics.authFailure("model");
            case RateLimitedException r -> {
                metrics.rateLimited(r.tenant(), r.kind().label());
                retryAfter = r.retryAfterSeconds();
            }
            case UpstreamUnavailableException u -> retryAfter = unavailableRetryAfterSeconds;
            default -> {
            }
        }
        return new Reply(g.status(), ErrorResponse.of(g.getMessage(), g.type(), g.param(), g.code()), retryAfter);
    }

    private Reply fromStatus(ServerWebExchange exchange, HttpStatusCode status, ResponseStatusException e) {
        if (status.value() == HttpStatus.NOT_FOUND.value()) {
            return reply(status, "invalid_request_error", "unknown_url", "Unknown request URL: "
                    + exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath().value() + ".", null);
        }
        if (status.value() == HttpStatus.GATEWAY_TIMEOUT.value()) {
            return reply(status, "server_error", "upstream_timeout", "router-service did not answer in time.", null);
        }
        if (status.value() == HttpStatus.SERVICE_UNAVAILABLE.value()) {
            return unavailable("router-service is unavailable; retry shortly.", "upstream_unavailable");
        }
        String reason = e.getReason() != null ? e.getReason() : e.getMessage();
        return status.is4xxClientError()
                ? reply(status, "invalid_request_error", null, reason, null)
                : reply(status, "server_error", null, reason, null);
    }

    private Reply unavailable(String message, String code) {
        return reply(HttpStatus.SERVICE_UNAVAILABLE, "server_error", code, message, unavailableRetryAfterSeconds);
    }

    private static Reply reply(HttpStatusCode status, String type, String code, String message, Long retryAfter) {
        return new Reply(status, ErrorResponse.of(message, type, null, code), retryAfter);
    }

    @Override
    public int getOrder() {
        return -2;
    }
}
