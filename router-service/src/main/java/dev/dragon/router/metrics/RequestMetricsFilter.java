package dev.dragon.router.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Counts API requests by outcome, {@code dragon_requests_total{endpoint, status}}: the status the response
 * was committed with (errors included: they are committed by the error handler after this filter), or
 * {@code 499} when the client went away before any response byte (e.g. while queued).
 */
public final class RequestMetricsFilter implements WebFilter, Ordered {

    /** Right after the request-id filter. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;
    static final String CLIENT_CLOSED = "499";

    private final MeterRegistry registry;

    public RequestMetricsFilter(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String endpoint = endpoint(exchange.getRequest().getPath().value());
        if (endpoint == null) {
            return chain.filter(exchange);
        }
        AtomicBoolean counted = new AtomicBoolean();
        ServerHttpResponse response = exchange.getResponse();
        response.beforeCommit(() -> {
            HttpStatusCode status = response.getStatusCode();
            count(counted, endpoint, Integer.toString(status == null ? 200 : status.value()));
            return Mono.empty();
        });
        return chain.filter(exchange).doOnCancel(() -> {
            if (!response.isCommitted()) {
                count(counted, endpoint, CLIENT_CLOSED);
            }
        });
    }

    private void count(AtomicBoolean counted, String endpoint, String status) {
        if (counted.compareAndSet(false, true)) {
            Counter.builder("dragon.requests").description("API requests by outcome")
                    .tag("endpoint", endpoint).tag("status", status).register(registry).increment();
        }
    }

    /** A bounded label for API paths; null for paths that are not the API (actuator, ...). */
    static String endpoint(String path) {
        return switch (path) {
            case "/v1/chat/completions" -> "chat_completions";
            case "/v1/completions" -> "completions";
            case "/v1/models" -> "models";
            case "/v1/feedback" -> "feedback";
            default -> path.startsWith("/v1/models/") ? "models" : path.startsWith("/v1/") ? "other" : null;
        };
    }
}
