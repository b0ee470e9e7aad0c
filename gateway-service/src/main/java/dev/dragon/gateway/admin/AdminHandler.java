package dev.dragon.gateway.admin;

import dev.dragon.gateway.admin.AdminViews.KeyList;
import dev.dragon.gateway.admin.AdminViews.KeyView;
import dev.dragon.gateway.admin.AdminViews.NewKey;
import dev.dragon.gateway.admin.AdminViews.TenantList;
import dev.dragon.gateway.admin.AdminViews.TenantView;
import dev.dragon.gateway.auth.Authenticator;
import dev.dragon.gateway.auth.KeyStore;
import dev.dragon.gateway.auth.TenantPlan;
import dev.dragon.gateway.config.GatewayJson;
import dev.dragon.gateway.error.AdminRequestException;
import dev.dragon.support.web.ReservedTenants;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;

/**
 * The admin API. Every call needs {@code Authorization: Bearer <dragon.gateway.admin.token>}; tenant API keys
 * are refused like any other wrong credential. Changes take effect on this replica at once and on the others
 * within {@code dragon.gateway.auth.cache-ttl}.
 * <pre>
 *   GET    /admin/tenants                      tenants
 *   GET    /admin/tenants/{tenant}             plan and keys (404 unknown)
 *   PUT    /admin/tenants/{tenant}/plan        set the plan (creates the tenant)
 *   POST   /admin/tenants/{tenant}/keys        201 new key, shown once (tenant created with the default plan)
 *   GET    /admin/tenants/{tenant}/keys        keys, without the keys themselves
 *   POST   /admin/keys/{keyId}/rotate          201 new key for the same tenant; the old one is revoked
 *   DELETE /admin/keys/{keyId}                 revoke
 * </pre>
 */
final class AdminHandler {

    private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final KeyStore store;
    private final Authenticator authenticator;
    private final TenantPlan defaultPlan;
    private final GatewayJson json;
    private final byte[] adminToken;

    AdminHandler(KeyStore store, Authenticator authenticator, TenantPlan defaultPlan, GatewayJson json,
                 String adminToken) {
        this.store = store;
        this.authenticator = authenticator;
        this.defaultPlan = defaultPlan;
        this.json = json;
        this.adminToken = adminToken.getBytes(StandardCharsets.UTF_8);
        if (adminToken.isBlank()) {
            log.warn("dragon.gateway.admin.token is not set: the admin API refuses every call");
        }
    }

    RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
                .GET("/admin/tenants", r -> ok(store.tenants().collectList().map(TenantList::new)))
                .GET("/admin/tenants/{tenant}", this::tenant)
                .PUT("/admin/tenants/{tenant}/plan", this::setPlan)
                .POST("/admin/tenants/{tenant}/keys", this::createKey)
                .GET("/admin/tenants/{tenant}/keys", r -> ok(store.keys(name(r, "tenant")).map(KeyView::of)
                        .collectList().map(KeyList::new)))
                .POST("/admin/keys/{keyId}/rotate", this::rotate)
                .DELETE("/admin/keys/{keyId}", this::revoke)
                .filter((request, next) -> authorized(request) ? next.handle(request) : Mono.error(
                        new AdminRequestException(HttpStatus.UNAUTHORIZED, "invalid_admin_credential", null,
                                "The admin API needs the admin credential (Authorization: Bearer <admin token>).")))
                .build();
    }

    private Mono<ServerResponse> tenant(ServerRequest request) {
        String tenant = tenantName(request);
        return store.plan(tenant)
                .switchIfEmpty(Mono.error(() -> notFound("tenant_not_found", "tenant", "No tenant '" + tenant + "'.")))
                .flatMap(plan -> store.keys(tenant).map(KeyView::of).collectList()
                        .map(keys -> new TenantView(tenant, plan, keys)))
                .flatMap(view -> respond(HttpStatus.OK, view));
    }

    private Mono<ServerResponse> setPlan(ServerRequest request) {
        String tenant = tenantName(request);
        return request.bodyToMono(byte[].class)
                .switchIfEmpty(Mono.error(() -> badRequest("plan", "The request body must be a plan.")))
                .map(this::plan)
                .flatMap(plan -> store.setPlan(tenant, plan))
                .doOnNext(plan -> {
                    authenticator.evictTenant(tenant);
                    log.info("plan of tenant {} set to {}", tenant, plan);
                })
                .flatMap(plan -> respond(HttpStatus.OK, plan));
    }

    private Mono<ServerResponse> createKey(ServerRequest request) {
        String tenant = tenantName(request);
        return store.ensureTenant(tenant, defaultPlan)
                .then(store.create(tenant))
                .doOnNext(issued -> log.info("key {} created for tenant {}", issued.record().keyId(), tenant))
                .flatMap(issued -> respond(HttpStatus.CREATED, NewKey.of(issued)));
    }

    private Mono<ServerResponse> rotate(ServerRequest request) {
        String keyId = name(request, "keyId");
        return store.hashOf(keyId)
                .switchIfEmpty(Mono.error(() -> unknownKey(keyId)))
                .flatMap(hash -> store.rotate(keyId).doOnNext(issued -> authenticator.evictKey(hash)))
                .doOnNext(issued -> log.info("key {} rotated to {}", keyId, issued.record().keyId()))
                .flatMap(issued -> respond(HttpStatus.CREATED, NewKey.of(issued)));
    }

    private Mono<ServerResponse> revoke(ServerRequest request) {
        String keyId = name(request, "keyId");
        return store.hashOf(keyId)
                .switchIfEmpty(Mono.error(() -> unknownKey(keyId)))
                .flatMap(hash -> store.revoke(keyId).doOnNext(revoked -> authenticator.evictKey(hash)))
                .doOnNext(revoked -> log.info("key {} revoked", keyId))
                .flatMap(revoked -> respond(HttpStatus.OK, KeyView.of(revoked)));
    }

    private TenantPlan plan(byte[] body) {
        try {
            return json.mapper().readValue(body, TenantPlan.class);
        } catch (JacksonException | IllegalArgumentException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            throw badRequest("plan", "Invalid plan: " + cause.getMessage());
        }
    }

    private boolean authorized(ServerRequest request) {
        String header = request.headers().firstHeader(HttpHeaders.AUTHORIZATION);
        String presented = Authenticator.bearerKey(header);
        return adminToken.length > 0 && presented != null
                && MessageDigest.isEqual(adminToken, presented.getBytes(StandardCharsets.UTF_8));
    }

    /** A tenant name from the path: a name, and not one of the platform's own ({@link ReservedTenants}). */
    private static String tenantName(ServerRequest request) {
        String tenant = name(request, "tenant");
        if (ReservedTenants.isReserved(tenant)) {
            throw badRequest("tenant", "Invalid 'tenant': names starting with '_' are reserved for the platform");
        }
        return tenant;
    }

    private static String name(ServerRequest request, String variable) {
        String value = request.pathVariable(variable);
        if (!NAME.matcher(value).matches()) {
            throw badRequest(variable, "Invalid '" + variable + "': use 1 to 64 of A-Z a-z 0-9 . _ -");
        }
        return value;
    }

    private Mono<ServerResponse> ok(Mono<?> body) {
        return body.flatMap(view -> respond(HttpStatus.OK, view));
    }

    private Mono<ServerResponse> respond(HttpStatus status, Object body) {
        return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json.mapper().writeValueAsBytes(body));
    }

    private static AdminRequestException unknownKey(String keyId) {
        return notFound("key_not_found", "key_id", "No API key with id '" + keyId + "'.");
    }

    private static AdminRequestException notFound(String code, String param, String message) {
        return new AdminRequestException(HttpStatus.NOT_FOUND, code, param, message);
    }

    private static AdminRequestException badRequest(String param, String message) {
        return new AdminRequestException(HttpStatus.BAD_REQUEST, "invalid_value", param, message);
    }
}
