package dev.dragon.expert.health;

import dev.dragon.expert.config.ExpertProperties;
import dev.dragon.expert.inference.ExpertMetrics;
import dev.dragon.expert.inference.ServedExperts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;

/**
 * Runs every served expert before the replica takes traffic. Spring Boot calls runners after the
 * servers are up (liveness CORRECT) and publishes readiness ACCEPTING_TRAFFIC only after every runner
 * returned, so readiness (the Kubernetes readiness and startup probes) stays DOWN and dispatch answers
 * UNAVAILABLE until warm-up finished.
 */
public class WarmUp implements ApplicationRunner {

    private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);

    private final ServedExperts experts;
    private final ExpertMetrics metrics;
    private final ExpertProperties.WarmUp settings;
    private final BoundPorts ports;

    public WarmUp(ServedExperts experts, ExpertMetrics metrics, ExpertProperties properties, BoundPorts ports) {
        this.experts = experts;
        this.metrics = metrics;
        this.settings = properties.warmUp();
        this.ports = ports;
    }

    @Override
    public void run(ApplicationArguments args) {
        long start = System.nanoTime();
        LOG.info("warming up {} experts of group {} ({} rounds of {} rows)", experts.placement().size(),
                experts.group(), settings.rounds(), settings.rows());
        experts.warmUp(settings.rows(), settings.rounds());
        metrics.ready(true);
        LOG.info("expert-service ready: group={} model={} experts={} grpc.port={} http.port={} warm-up={} ms",
                experts.group(), experts.modelId(), experts.placement(), ports.grpc(), ports.http(),
                (System.nanoTime() - start) / 1_000_000);
    }

    /** On shutdown, new dispatch calls get UNAVAILABLE (routers retry elsewhere) while calls in flight finish. */
    @EventListener(ContextClosedEvent.class)
    void onShutdown() {
        experts.drain();
        metrics.ready(false);
        LOG.info("shutting down: group {} refuses new dispatch calls", experts.group());
    }
}
