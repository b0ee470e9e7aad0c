package dev.dragon.gateway.metrics;

import dev.dragon.gateway.error.AuthenticationFailedException;
import dev.dragon.gateway.error.RateLimitedException;

import dev.dragon.support.metrics.BoundedLabel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The gateway table of docs/metrics.md. Tenants are labelled through a {@link BoundedLabel}, so a flood of
 * tenants cannot blow up the series count.
 */
public final class GatewayMetrics {

    /** Route label of requests that matched no route (404s, preflights). */
    public static final String NO_ROUTE = "none";

    private final MeterRegistry registry;
    private final BoundedLabel tenants;
    private final MeterProvider<Counter> requests;
    private final MeterProvider<Timer> latency;
    private final MeterProvider<Counter> rateLimitRejections;
    private final MeterProvider<Counter> authFailures;

    public GatewayMetrics(MeterRegistry registry, int maxTenantLabels) {
        this.registry = registry;
        this.tenants = new BoundedLabel(maxTenantLabels);
        this.requests = Counter.builder("dragon.gateway.requests")
                .description("requests at the edge").withRegistry(registry);
        this.latency = Timer.builder("dragon.gateway.request")
                .description("time to response headers").publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                .withRegistry(registry);
        this.rateLimitRejections = Counter.builder("dragon.gateway.ratelimit.rejections")
                .description("429s from the rate limits").withRegistry(registry);
        this.authFailures = Counter.builder("dragon.gateway.auth.failures")
                .description("401/403s").withRegistry(registry);
        // every series with a known label set starts at 0, so dashboards and alerts see it before the first event
        for (AuthenticationFailedException.Reason reason : AuthenticationFailedException.Reason.values()) {
            authFailures.withTags("reason", reason.label());
        }
        authFailures.withTags("reason", "model");
        for (RateLimitedException.Kind kind : RateLimitedException.Kind.values()) {
            rateLimitRejections.withTags("tenant", BoundedLabel.OTHER, "kind", kind.label());
        }
    }

    public String tenantLabel(String tenant) {
        return tenants.value(tenant);
    }

    public void request(String route, int status, String tenant, long nanos) {
        requests.withTags("route", route, "status", Integer.toString(status), "tenant", tenantLabel(tenant))
                .increment();
        latency.withTags("route", route).record(Duration.ofNanos(nanos));
    }

    public void rateLimited(String tenant, String kind) {
        rateLimitRejections.withTags("tenant", tenantLabel(tenant), "kind", kind).increment();
    }

    public void authFailure(String reason) {
        authFailures.withTags("reason", reason).increment();
    }

    /** Registers {@code dragon_gateway_circuit_state{route}}: 0 closed, 1 half-open, 2 open. */
    public void circuitState(String route, Supplier<Number> state) {
        Gauge.builder("dragon.gateway.circuit.state", state)
                .description("0 closed, 1 half-open, 2 open")
                .tags(Tags.of("route", route))
                .register(registry);
    }

    /** Registers {@code dragon_gateway_replica_state{replica}}: 0 in rotation, 1 on trial, 2 ejected. */
    public void replicaState(String replica, Supplier<Number> state) {
        Gauge.builder("dragon.gateway.replica.state", state)
                .description("router replica: 0 in rotation, 1 on trial, 2 ejected")
                .tags(Tags.of("replica", replica))
                .register(registry);
    }
}
