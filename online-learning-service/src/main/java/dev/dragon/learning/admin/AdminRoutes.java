package dev.dragon.learning.admin;

import dev.dragon.learning.error.ErrorMapping;
import dev.dragon.learning.error.InvalidRequestException;
import dev.dragon.learning.error.LearnerUnavailableException;
import dev.dragon.learning.metrics.LearnerMetrics;
import dev.dragon.learning.rollout.AdapterHistory;
import dev.dragon.learning.rollout.VersionControl;
import dev.dragon.learning.rollout.VersionInfo;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * <pre>
 *   GET    /admin/versions                  versions, the newest, the pin, the live one
 *   POST   /admin/versions/{v}/rollback     publish a new version with v's weights (0 = the bundle's layer)
 *   PUT    /admin/pin   {"version": v}      routers serve v until unpinned
 *   DELETE /admin/pin                       routers serve the newest version again
 * </pre>
 * Every answer is JSON; failures are {@code {"error": {...}}} from {@link ErrorMapping}.
 */
public final class AdminRoutes {

    /** What {@code GET /admin/versions} returns. */
    public record VersionsView(long latest, Long pinned, long live, List<VersionInfo> versions) {

        static VersionsView of(AdapterHistory h) {
            return new VersionsView(h.latest(), h.pinned(), h.live(), h.versions());
        }
    }

    private final VersionControl control;
    private final ErrorMapping errors;
    private final LearnerMetrics metrics;
    private final JsonMapper json = JsonMapper.builder().build();

    public AdminRoutes(VersionControl control, ErrorMapping errors, LearnerMetrics metrics) {
        this.control = control;
        this.errors = errors;
        this.metrics = metrics;
    }

    public RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
                .GET("/admin/versions", r -> respond("list", () -> CompletableFuture.completedFuture(history())))
                .POST("/admin/versions/{version}/rollback", r -> respond("rollback",
                        () -> control.rollback(version(r.pathVariable("version")))))
                .PUT("/admin/pin", r -> r.bodyToMono(String.class).defaultIfEmpty("")
                        .flatMap(body -> respond("pin", () -> control.pin(pinVersion(body)))))
                .DELETE("/admin/pin", r -> respond("unpin", control::unpin))
                .build();
    }

    private AdapterHistory history() {
        AdapterHistory h = control.history();
        if (h == null) {
            throw new LearnerUnavailableException("the learner is still starting");
        }
        return h;
    }

    private Mono<ServerResponse> respond(String action, Supplier<CompletableFuture<AdapterHistory>> work) {
        Mono<AdapterHistory> result;
        try {
            result = Mono.fromFuture(work.get());
        } catch (RuntimeException e) {
            result = Mono.error(e);
        }
        return result
                .flatMap(h -> {
                    metrics.adminRequest(action, 200);
                    return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                            .bodyValue(json.writeValueAsString(VersionsView.of(h)));
                })
                .onErrorResume(t -> {
                    ErrorMapping.Mapped m = errors.map(action, t);
                    return ServerResponse.status(m.status()).contentType(MediaType.APPLICATION_JSON)
                            .bodyValue(json.writeValueAsString(m.body()));
                });
    }

    private static long version(String text) {
        try {
            long v = Long.parseLong(text);
            if (v < 0) {
                throw new InvalidRequestException("'version' must be >= 0, got " + v, "version");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("'version' must be an integer, got '" + text + "'", "version");
        }
    }

    private long pinVersion(String body) {
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (RuntimeException e) {
            throw new InvalidRequestException("the body must be JSON like {\"version\": 3}", null);
        }
        JsonNode v = node == null ? null : node.get("version");
        if (v == null || !v.isIntegralNumber()) {
            throw new InvalidRequestException("'version' is required and must be an integer", "version");
        }
        return version(v.asString());
    }
}
