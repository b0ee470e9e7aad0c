package dev.dragon.cache.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The whole cache-service on random ports (HTTP, a separate management port, gRPC) against its own real
 * Redis, with a Redis timeout generous enough for a loaded test machine. Add
 * {@code @TestPropertySource} for class-specific settings.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.grpc.server.port=0", "management.server.port=0", "dragon.cache.redis.timeout=2s",
        "dragon.cache.redis.probe-interval=200ms"})
@Import(CacheTestConfiguration.class)
@DirtiesContext
public @interface CacheServiceTest {
}
