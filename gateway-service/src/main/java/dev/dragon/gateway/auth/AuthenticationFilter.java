package dev.dragon.gateway.auth;

import dev.dragon.support.web.DragonHeaders;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * First gateway filter of every routed request: authenticates the bearer key, records the tenant, and
 * rewrites what is forwarded: the authenticated {@code x-dragon-tenant} replaces any a client sent, and the
 * API key itself never leaves the gateway.
 */
public final class AuthenticationFilter implements GlobalFilter, Ordered {

    public static final int ORDER = -500;

    private final Authenticator authenticator;

    public AuthenticationFilter(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        return authenticator.authenticate(authorization).flatMap(auth -> {
            exchange.getAttributes().put(Authenticated.ATTRIBUTE, auth);
            ServerHttpRequest forwarded = exchange.getRequest().mutate().headers(h -> {
                h.remove(HttpHeaders.AUTHORIZATION);
                h.set(DragonHeaders.TENANT, auth.tenant());
            }).build();
            return chain.filter(exchange.mutate().request(forwarded).build());
        });
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
