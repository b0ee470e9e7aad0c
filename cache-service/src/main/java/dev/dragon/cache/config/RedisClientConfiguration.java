package dev.dragon.cache.config;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.Delay;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * Lettuce set up so that Redis going away never makes a call hang: commands are rejected at once while
 * disconnected (instead of queued), every command has the configured timeout, and the client reconnects
 * by itself with a short, capped back-off.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CacheProperties.class)
public class RedisClientConfiguration {

    @Bean
    LettuceClientOptionsBuilderCustomizer cacheClientOptions(CacheProperties properties) {
        CacheProperties.Redis redis = properties.redis();
        return builder -> builder
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(redis.connectTimeout()).build())
                .timeoutOptions(TimeoutOptions.enabled(redis.timeout()));
    }

    @Bean
    LettuceClientConfigurationBuilderCustomizer cacheCommandTimeout(CacheProperties properties) {
        return builder -> builder.commandTimeout(properties.redis().timeout());
    }

    @Bean
    ClientResourcesBuilderCustomizer cacheReconnectDelay(CacheProperties properties) {
        Duration max = properties.redis().reconnectMaxDelay();
        Duration min = max.compareTo(Duration.ofMillis(50)) < 0 ? max : Duration.ofMillis(50);
        return builder -> builder.reconnectDelay(Delay.exponential(min, max, 2, java.util.concurrent.TimeUnit.MILLISECONDS));
    }

    /** String keys, binary values (serialized protobuf and encoded KV chunks), string hash fields. */
    @Bean
    ReactiveRedisTemplate<String, byte[]> cacheRedisTemplate(ReactiveRedisConnectionFactory factory) {
        RedisSerializationContext<String, byte[]> context = RedisSerializationContext
                .<String, byte[]>newSerializationContext(RedisSerializer.string())
                .value(RedisSerializer.byteArray())
                .hashKey(RedisSerializer.string())
                .hashValue(RedisSerializer.string())
                .build();
        return new ReactiveRedisTemplate<>(factory, context);
    }

    @Bean
    Clock cacheClock() {
        return Clock.systemUTC();
    }
}
