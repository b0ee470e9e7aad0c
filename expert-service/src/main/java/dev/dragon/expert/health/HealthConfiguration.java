package dev.dragon.expert.health;

import dev.dragon.expert.config.ExpertProperties;
import dev.dragon.expert.inference.ExpertMetrics;
import dev.dragon.expert.inference.ServedExperts;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Warm-up before readiness, and the bound ports. */
@Configuration(proxyBeanMethods = false)
public class HealthConfiguration {

    @Bean
    BoundPorts boundPorts() {
        return new BoundPorts();
    }

    @Bean
    WarmUp warmUp(ServedExperts experts, ExpertMetrics metrics, ExpertProperties properties, BoundPorts ports) {
        return new WarmUp(experts, metrics, properties, ports);
    }
}
