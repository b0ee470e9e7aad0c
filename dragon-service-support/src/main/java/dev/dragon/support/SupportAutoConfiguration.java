package dev.dragon.support;

import dev.dragon.support.logging.MdcRequestIdAccessor;
import dev.dragon.support.web.RequestIdWebFilter;
import io.micrometer.context.ContextRegistry;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Hooks;

/**
 * Installs request ids (header, Reactor context, MDC) in every Dragon service that has this module. The MDC
 * follows a request across Reactor's thread hops through automatic context propagation, unless a service sets
 * {@code dragon.logging.automatic-context-propagation=false} and puts the id in the MDC at its own log sites
 * ({@link dev.dragon.support.logging.RequestMdc}): the gateway does, as those per-operator copies are a
 * measurable share of its CPU per request.
 */
@AutoConfiguration
public class SupportAutoConfiguration {

    static {
        ContextRegistry.getInstance().registerThreadLocalAccessor(new MdcRequestIdAccessor());
    }

    /**
     * Turns Reactor's automatic context propagation on (JVM-wide) before any other bean of the context is
     * created, so that no pipeline is assembled without it.
     */
    @Bean
    @ConditionalOnProperty(name = "dragon.logging.automatic-context-propagation", havingValue = "true",
            matchIfMissing = true)
    static BeanFactoryPostProcessor automaticContextPropagation() {
        return beanFactory -> Hooks.enableAutomaticContextPropagation();
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
