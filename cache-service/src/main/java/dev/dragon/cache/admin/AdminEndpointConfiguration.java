package dev.dragon.cache.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.dragon.cache.error.CacheErrors;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The admin endpoints, on the management server (its own port when {@code management.server.port}
 * differs from {@code server.port}, so they are never reachable where the service is exposed):
 * <ul>
 *   <li>{@code POST /admin/tenants/{tenant}/flush} → {@code {"tenant":..., "deleted_keys": n}}</li>
 *   <li>{@code GET /admin/tenants/{tenant}/stats} → {@link TenantStatsView}</li>
 * </ul>
 * Errors are OpenAI-style bodies (400 for a malformed tenant, 503 when Redis is unavailable). Loaded
 * through {@code META-INF/spring/...ManagementContextConfiguration.imports}, never component-scanned.
 */
@ManagementContextConfiguration(proxyBeanMethods = false)
public class AdminEndpointConfiguration {

    /** Body of a flush. */
    public record Flushed(String tenant, @JsonProperty("deleted_keys") long deletedKeys) {
    }

    @Bean
    RouterFunction<ServerResponse> tenantAdminRoutes(TenantAdmin admin, CacheErrors errors) {
        return RouterFunctions.route()
                .POST("/admin/tenants/{tenant}/flush", request -> {
                    String tenant = request.pathVariable("tenant");
                    return Mono.defer(() -> admin.flush(tenant))
                            .flatMap(deleted -> json(new Flushed(tenant, deleted)))
                            .onErrorResume(errors::toHttp);
                })
                .GET("/admin/tenants/{tenant}/stats", request ->
                        Mono.defer(() -> admin.stats(request.pathVariable("tenant")))
                                .flatMap(AdminEndpointConfiguration::json)
                                .onErrorResume(errors::toHttp))
                .build();
    }

    private static Mono<ServerResponse> json(Object body) {
        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(body);
    }
}
