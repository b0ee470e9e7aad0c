package dev.dragon.router.warmup;

import dev.dragon.router.config.RouterProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The warm-up runner, unless {@code dragon.router.warm-up.enabled=false}. */
@Configuration(proxyBeanMethods = false)
public class WarmUpConfiguration {

    @Bean
    @ConditionalOnProperty(name = "dragon.router.warm-up.enabled", havingValue = "true", matchIfMissing = true)
    RouterWarmUp routerWarmUp(RouterProperties properties, Environment environment, MeterRegistry registry) {
        return new RouterWarmUp(properties.warmUp(), properties.model().servedId(), environment, registry);
    }
}
