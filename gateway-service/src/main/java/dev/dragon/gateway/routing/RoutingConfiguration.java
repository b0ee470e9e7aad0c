package dev.dragon.gateway.routing;

import dev.dragon.gateway.config.GatewayProperties;
import dev.dragon.gateway.metrics.GatewayMetrics;
import dev.dragon.gateway.validation.BodyKind;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.netty.channel.ChannelOption;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JConfigBuilder;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * The public API's routes, all to router-service: each through its own circuit breaker (outermost) and the
 * retry of requests no router answered, balanced round robin by Spring Cloud LoadBalancer over the replicas of
 * {@code dragon.gateway.upstream.uris} that {@link ReplicaHealth} has not ejected.
 */
@Configuration(proxyBeanMethods = false)
public class RoutingConfiguration {

    /** Load-balancer service id of router-service. */
    public static final String ROUTER_SERVICE = "router-service";

    /** A public route: id (also the circuit breaker's name and the metrics' route label), method, path, body. */
    record PublicRoute(String id, HttpMethod method, String path, BodyKind body) {
    }

    static final List<PublicRoute> ROUTES = List.of(
            new PublicRoute("chat-completions", HttpMethod.POST, "/v1/chat/completions", BodyKind.CHAT),
            new PublicRoute("completions", HttpMethod.POST, "/v1/completions", BodyKind.COMPLETION),
            new PublicRoute("feedback", HttpMethod.POST, "/v1/feedback", BodyKind.FEEDBACK),
            new PublicRoute("models", HttpMethod.GET, "/v1/models", null));

    @Bean
    RouteLocator dragonRoutes(RouteLocatorBuilder builder, GatewayProperties properties) {
        ConnectRetryFilter retry = new ConnectRetryFilter(properties.upstream().retries());
        RouteLocatorBuilder.Builder routes = builder.routes();
        for (PublicRoute route : ROUTES) {
            routes.route(route.id(), r -> r.path(route.path()).and().method(route.method())
                    .filters(f -> f.circuitBreaker(c -> c.setName(route.id())).filter(retry))
                    .metadata(BodyKind.METADATA_KEY, route.body() == null ? "" : route.body().name())
                    .uri("lb://" + ROUTER_SERVICE));
        }
        return routes.build();
    }

    @Bean
    ReplicaHealth routerReplicaHealth(GatewayProperties properties) {
        List<ServiceInstance> instances = new ArrayList<>();
        for (URI uri : properties.upstream().uris()) {
            boolean secure = "https".equalsIgnoreCase(uri.getScheme());
            int port = uri.getPort() > 0 ? uri.getPort() : secure ? 443 : 80;
            instances.add(new DefaultServiceInstance(ROUTER_SERVICE + "-" + instances.size(), ROUTER_SERVICE,
                    uri.getHost(), port, secure));
        }
        return new ReplicaHealth(instances, properties.upstream().ejection());
    }

    /** The load balancer's view of router-service: the configured replicas minus the ejected ones. */
    @Bean
    ServiceInstanceListSupplier routerReplicas(ReplicaHealth health) {
        return new HealthyReplicas(health);
    }

    @Bean
    ReplicaOutcomeFilter replicaOutcomeFilter(ReplicaHealth health) {
        return new ReplicaOutcomeFilter(health);
    }

    /** {@code dragon_gateway_replica_state{replica}} for every configured router replica. */
    @Bean
    SmartInitializingSingleton replicaStateGauges(ReplicaHealth health, GatewayMetrics metrics) {
        return () -> health.replicas().forEach(replica ->
                metrics.replicaState(replica.getInstanceId(), () -> health.state(replica.getInstanceId())));
    }

    @Bean
    HttpHeadersFilter requestIdResponseHeaderFilter() {
        return new RequestIdResponseHeaderFilter();
    }

    @Bean
    HttpClientCustomizer upstreamConnectTimeout(GatewayProperties properties) {
        int millis = Math.toIntExact(properties.upstream().connectTimeout().toMillis());
        return client -> client.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, millis);
    }

    /**
     * Breaker settings from {@code dragon.gateway.upstream.circuit-breaker}. It judges the router fleet, not one
     * replica: only failures to place a request count (connections refused after the retries, which go to
     * replicas not ejected, and no headers within {@code response-timeout}). A replica that dies mid-request
     * is {@link ReplicaHealth}'s business; an error status from a router is its answer and is relayed.
     */
    @Bean
    Customizer<ReactiveResilience4JCircuitBreakerFactory> routerCircuitBreakers(GatewayProperties properties) {
        GatewayProperties.CircuitBreaker cb = properties.upstream().circuitBreaker();
        CircuitBreakerConfig breaker = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(cb.slidingWindowSize())
                .minimumNumberOfCalls(cb.minimumCalls())
                .failureRateThreshold(cb.failureRateThreshold())
                .waitDurationInOpenState(cb.waitInOpen())
                .permittedNumberOfCallsInHalfOpenState(cb.halfOpenCalls())
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .ignoreException(failure -> !noReplicaCouldTakeIt(failure))
                .build();
        TimeLimiterConfig headers = TimeLimiterConfig.custom()
                .timeoutDuration(properties.upstream().responseTimeout())
                .build();
        return factory -> factory.configureDefault(id -> new Resilience4JConfigBuilder(id)
                .circuitBreakerConfig(breaker).timeLimiterConfig(headers).build());
    }

    /** The registries Spring Cloud CircuitBreaker builds breakers in (resilience4j's Boot 3 starter is excluded). */
    @Bean
    CircuitBreakerRegistry circuitBreakerRegistry() {
        return CircuitBreakerRegistry.ofDefaults();
    }

    @Bean
    TimeLimiterRegistry timeLimiterRegistry() {
        return TimeLimiterRegistry.ofDefaults();
    }

    /** {@code dragon_gateway_circuit_state{route}} for every route. */
    @Bean
    SmartInitializingSingleton circuitStateGauges(ReactiveResilience4JCircuitBreakerFactory factory,
                                                  GatewayMetrics metrics) {
        return () -> ROUTES.forEach(route -> metrics.circuitState(route.id(), () -> factory.getCircuitBreakerRegistry()
                .find(route.id()).map(RoutingConfiguration::stateValue).orElse(0)));
    }

    static boolean noReplicaCouldTakeIt(Throwable failure) {
        return TransportFailure.notConnected(failure) || failure instanceof TimeoutException;
    }

    static int stateValue(CircuitBreaker breaker) {
        return switch (breaker.getState()) {
            case HALF_OPEN -> 1;
            case OPEN, FORCED_OPEN -> 2;
            default -> 0;
        };
    }
}
