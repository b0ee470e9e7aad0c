package dev.dragon.cache.testing;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.test.context.DynamicPropertyRegistrar;

/**
 * What every cache-service IT needs: a real Redis on a random port for the context's lifetime (pointed
 * to by {@code spring.data.redis.port}), the gRPC port, and a channel to it.
 */
@TestConfiguration(proxyBeanMethods = false)
public class CacheTestConfiguration {

    /** {@code test.redis.settings}: extra redis.conf lines, separated by {@code ;}. */
    @Bean(destroyMethod = "close")
    RedisTestServer redisTestServer(@Value("${test.redis.settings:}") String settings) {
        return RedisTestServer.start(settings.isBlank() ? new String[0] : settings.split(";"));
    }

    @Bean
    DynamicPropertyRegistrar redisPort(RedisTestServer redis) {
        return registry -> registry.add("spring.data.redis.port", redis::port);
    }

    @Bean
    GrpcPort grpcPort() {
        return new GrpcPort();
    }

    @Bean(destroyMethod = "shutdownNow")
    @Lazy
    ManagedChannel cacheChannel(GrpcPort port) {
        return ManagedChannelBuilder.forAddress("127.0.0.1", port.value()).usePlaintext().build();
    }

    @Bean
    @Lazy
    CacheTestClient cacheTestClient(ManagedChannel cacheChannel) {
        return new CacheTestClient(cacheChannel);
    }
}
