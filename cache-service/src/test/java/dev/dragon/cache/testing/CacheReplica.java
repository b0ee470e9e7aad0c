package dev.dragon.cache.testing;

import dev.dragon.cache.CacheApplication;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/**
 * Another cache-service replica in the same JVM, on random ports, against an existing Redis (the one of the
 * test's own context), for tests of what replicas share through Redis. Closing it shuts it down gracefully.
 */
public final class CacheReplica implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final ManagedChannel channel;

    private CacheReplica(ConfigurableApplicationContext context, int grpcPort) {
        this.context = context;
        this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
    }

    public static CacheReplica start(int redisPort) {
        AtomicInteger grpcPort = new AtomicInteger();
        ConfigurableApplicationContext context = new SpringApplicationBuilder(CacheApplication.class)
                // component scanning would pick up the tests' own configuration (and start another Redis)
                .initializers(c -> c.getBeanFactory()
                        .registerSingleton("excludeTestComponents", new ExcludeTestComponents()))
                .listeners(event -> {
                    if (event instanceof GrpcServerStartedEvent started) {
                        grpcPort.set(started.getPort());
                    }
                })
                .run("--spring.data.redis.port=" + redisPort, "--spring.grpc.server.port=0", "--server.port=0",
                        "--management.server.port=0", "--dragon.cache.redis.timeout=2s", "--spring.main.banner-mode=off");
        return new CacheReplica(context, grpcPort.get());
    }

    public ManagedChannel channel() {
        return channel;
    }

    public CacheTestClient client() {
        return new CacheTestClient(channel);
    }

    /** Shuts the replica down (gracefully, as on SIGTERM); its channel stays usable to see how calls end. */
    public void stop() {
        if (context.isActive()) {
            context.close();
        }
    }

    @Override
    public void close() {
        stop();
        channel.shutdownNow();
    }

    /** Leaves out {@code @TestConfiguration} / {@code @TestComponent} classes, as {@code @SpringBootTest} does. */
    private static final class ExcludeTestComponents extends TypeExcludeFilter {

        @Override
        public boolean match(MetadataReader reader, MetadataReaderFactory factory) {
            return reader.getAnnotationMetadata().isAnnotated(TestComponent.class.getName());
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ExcludeTestComponents;
        }

        @Override
        public int hashCode() {
            return ExcludeTestComponents.class.hashCode();
        }
    }
}
