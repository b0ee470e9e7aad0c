package dev.dragon.cache.admin;

import dev.dragon.support.web.RequestIdWebFilter;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.context.annotation.Bean;

/**
 * A separate management server builds its own filter chain from its own context: give it the request-id
 * filter too, so admin calls carry {@code x-dragon-request-id} and their log lines the id.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
public class AdminChildContextConfiguration {

    @Bean
    RequestIdWebFilter managementRequestIdWebFilter() {
        return new RequestIdWebFilter();
    }
}
