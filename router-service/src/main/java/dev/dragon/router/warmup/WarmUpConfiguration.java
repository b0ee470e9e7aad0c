package dev.dragon.router.warmup;

import dev.dragon.router.config.RouterProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The warm-up runner ({@code dragon.router.warm-up.*}; it does nothing with {@code enabled=false}). */
@Configuration(proxyBeanMethods = false)
public class WarmUpConfiguration {

    @Bean
    RouterWarmUp routerWarmUp(RouterProperties properties, Environment environment, MeterRegistry registry) {
        return new RouterWarmUp(properties.warmUp(), properties.model().servedId(), environment, registry);
    }
}
