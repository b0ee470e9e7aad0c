package dev.dragon.gateway.routing;

import dev.dragon.gateway.config.GatewayProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.IllegalStateTransitionException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.ServiceInstance;

/**
 * Outlier ejection of router replicas: one Resilience4j breaker per replica, fed by {@link ReplicaOutcomeFilter}
 * with the transport outcome of every call and read by {@link HealthyReplicas} when the load balancer picks
 * one. An open breaker is an ejected replica. Only transport failures count: an error status is the router's
 * answer.
 */
public final class ReplicaHealth {

    private static final Logger log = LoggerFactory.getLogger(ReplicaHealth.class);

    private final List<ServiceInstance> replicas;
    private final Map<String, CircuitBreaker> breakers = new LinkedHashMap<>();

    public ReplicaHealth(List<ServiceInstance> replicas, GatewayProperties.Ejection ejection) {
        this.replicas = List.copyOf(replicas);
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(ejection.slidingWindowSize())
                .minimumNumberOfCalls(Math.min(ejection.minimumCalls(), ejection.slidingWindowSize()))
                .failureRateThreshold(ejection.failureRateThreshold())
                .waitDurationInOpenState(ejection.ejectFor())
                .permittedNumberOfCallsInHalfOpenState(ejection.trialCalls())
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .build();
        for (ServiceInstance replica : this.replicas) {
            CircuitBreaker breaker = CircuitBreaker.of(replica.getInstanceId(), config);
            breaker.getEventPublisher().onStateTransition(event -> log.warn("router replica {} ({}:{}): {}",
                    replica.getInstanceId(), replica.getHost(), replica.getPort(), describe(event.getStateTransition())));
            breakers.put(replica.getInstanceId(), breaker);
        }
    }

    /** Every configured replica, in configuration order. */
    public List<ServiceInstance> replicas() {
        return replicas;
    }

    /** The replicas that are not ejected now; all of them when every one is (panic: let the route breaker judge). */
    public List<ServiceInstance> available() {
        List<ServiceInstance> healthy = replicas.stream()
                .filter(r -> breakers.get(r.getInstanceId()).getState() != CircuitBreaker.State.OPEN).toList();
        return healthy.isEmpty() ? replicas : healthy;
    }

    /** A call that reached the replica and got response headers back. */
    public void succeeded(String replicaId, long nanos) {
        CircuitBreaker breaker = breakers.get(replicaId);
        if (breaker != null) {
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * A call that failed in transport. A refused or timed-out connect is conclusive (nothing listens there):
     * the replica is ejected at once; any other failure counts toward the breaker's failure rate.
     */
    public void failed(String replicaId, long nanos, Throwable failure, boolean refusedConnection) {
        CircuitBreaker breaker = breakers.get(replicaId);
        if (breaker == null) {
            return;
        }
        breaker.onError(nanos, TimeUnit.NANOSECONDS, failure);
        if (refusedConnection && breaker.getState() != CircuitBreaker.State.OPEN) {
            try {
                breaker.transitionToOpenState();
            } catch (IllegalStateTransitionException concurrentlyOpened) {
                // another call ejected it first
            }
        }
    }

    /** 0 in rotation, 1 on trial, 2 ejected: {@code dragon_gateway_replica_state}. */
    public int state(String replicaId) {
        return RoutingConfiguration.stateValue(breakers.get(replicaId));
    }

    private static String describe(CircuitBreaker.StateTransition transition) {
        return switch (transition.getToState()) {
            case OPEN, FORCED_OPEN -> "ejected";
            case HALF_OPEN -> "on trial";
            case CLOSED -> "back in rotation";
            default -> transition.toString();
        };
    }
}
