package dev.dragon.gateway.admin;

import dev.dragon.gateway.auth.Authenticator;
import dev.dragon.gateway.auth.KeyStore;
import dev.dragon.gateway.config.GatewayJson;
import dev.dragon.gateway.config.GatewayProperties;
import dev.dragon.gateway.error.GatewayErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The admin server (bean {@code adminServer}; tests ask it for its port). */
@Configuration(proxyBeanMethods = false)
public class AdminConfiguration {

    @Bean
    AdminServer adminServer(GatewayProperties properties, KeyStore store, Authenticator authenticator,
                            GatewayJson json, GatewayErrorHandler errors) {
        AdminHandler handler = new AdminHandler(store, authenticator, properties.defaultPlan().toPlan(), json,
                properties.admin().token());
        return new AdminServer(properties.admin(), handler, errors);
    }
}
