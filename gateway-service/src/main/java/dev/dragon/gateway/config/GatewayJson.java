package dev.dragon.gateway.config;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway's own JSON mapper: snake_case like the OpenAI API, used for what it stores in Redis and for the
 * admin API. Kept apart from Spring Boot's {@code JsonMapper} bean so actuator output is unaffected.
 */
public record GatewayJson(JsonMapper mapper) {

    public static GatewayJson create() {
        return new GatewayJson(JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .build());
    }
}
