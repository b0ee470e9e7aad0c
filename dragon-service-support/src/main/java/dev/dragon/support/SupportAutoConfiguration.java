package dev.dragon.support;

import dev.dragon.support.logging.MdcRequestIdAccessor;
import dev.dragon.support.web.RequestIdWebFilter;
import io.micrometer.context.ContextRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Hooks;

/** Installs request ids (header, Reactor context, MDC) in every Dragon service that has this module. */
@AutoConfiguration
public class SupportAutoConfiguration {

    static {
        ContextRegistry.getInstance().registerThreadLocalAccessor(new MdcRequestIdAccessor());
        Hooks.enableAutomaticContextPropagation();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    @ConditionalOnClass(name = "org.springframework.web.server.WebFilter")
    static class Reactive {

        @Bean
        @ConditionalOnMissingBean
        RequestIdWebFilter requestIdWebFilter() {
            return new RequestIdWebFilter();
        }
    }
}
