package dev.dragon.gateway.routing;

import java.util.List;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import reactor.core.publisher.Flux;

/** router-service's replicas for Spring Cloud LoadBalancer, ejected ones left out ({@link ReplicaHealth}). */
final class HealthyReplicas implements ServiceInstanceListSupplier {

    private final ReplicaHealth health;

    HealthyReplicas(ReplicaHealth health) {
        this.health = health;
    }

    @Override
    public String getServiceId() {
        return RoutingConfiguration.ROUTER_SERVICE;
    }

    @Override
    public Flux<List<ServiceInstance>> get() {
        return Flux.defer(() -> Flux.just(health.available()));
    }
}
