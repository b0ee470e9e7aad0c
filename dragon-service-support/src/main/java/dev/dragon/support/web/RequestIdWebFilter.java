package dev.dragon.support.web;

import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Gives every request an id: reuses a well-formed {@code x-dragon-request-id} from upstream (the
 * gateway), else generates one; echoes it on the response, stores it as an exchange attribute and in
 * the Reactor context (from where context propagation copies it into the logging MDC).
 */
public final class RequestIdWebFilter implements WebFilter, Ordered {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String incoming = exchange.getRequest().getHeaders().getFirst(DragonHeaders.REQUEST_ID);
        String id = RequestIds.orGenerate(incoming);
        exchange.getAttributes().put(RequestIds.KEY, id);
        exchange.getResponse().getHeaders().set(DragonHeaders.REQUEST_ID, id);
        List<String> sent = exchange.getRequest().getHeaders().get(DragonHeaders.REQUEST_ID);
        if (id.equals(incoming) && sent.size() == 1) {   // the request already says it (from the gateway): no copy
            return chain.filter(exchange).contextWrite(ctx -> ctx.put(RequestIds.KEY, id));
        }
        ServerWebExchange forwarded = exchange.mutate()
                .request(r -> r.headers(h -> h.set(DragonHeaders.REQUEST_ID, id)))
                .build();
        return chain.filter(forwarded).contextWrite(ctx -> ctx.put(RequestIds.KEY, id));
    }

    /** The id of {@code exchange} (set by this filter). */
    public static String requestId(ServerWebExchange exchange) {
        String id = exchange.getAttribute(RequestIds.KEY);
        return id != null ? id : RequestIds.generate();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
