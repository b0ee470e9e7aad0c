package dev.dragon.router.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.core.bundle.ModelBundle;
import dev.dragon.core.tensor.TensorCodec;
import dev.dragon.router.config.RouterProperties;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class CacheClientConfigurationTest {

    private static final ModelBundle BUNDLE = ModelBundle.open(Path.of("..", "models", "dragon-moe-mini"));

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(CacheClientConfiguration.class)
            .withBean(ModelBundle.class, () -> BUNDLE)
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withBean(RouterProperties.class, () -> new Binder(new MapConfigurationPropertySource())
                    .bindOrCreate("dragon.router", RouterProperties.class));

    @Test
    void defaults_buildBothClients_forTheBundlesModelAndGating() {
        context.run(c -> {
            assertThat(c).hasNotFailed().hasSingleBean(ManagedChannel.class);
            assertThat(c.getBean(ResponseCacheClient.class).enabled()).isTrue();
            PromptPrefixHasher hasher = c.getBean(KvStateCacheClient.class).hasher();
            assertThat(hasher.model()).isEqualTo(BUNDLE.manifest().name() + "@" + BUNDLE.manifest().version());
            assertThat(hasher.gatingVersion()).isEqualTo("topk-" + BUNDLE.architecture().topK());
            assertThat(hasher.blockSize()).isEqualTo(32);
        });
    }

    @Test
    void properties_areBoundFromDragonRouterCache() {
        context.withPropertyValues("dragon.router.cache.block-size=16", "dragon.router.cache.enabled=false",
                        "dragon.router.cache.precision=fp32", "dragon.router.cache.breaker.open-for=9s")
                .run(c -> {
                    assertThat(c.getBean(KvStateCacheClient.class).hasher().blockSize()).isEqualTo(16);
                    assertThat(c.getBean(ResponseCacheClient.class).enabled()).isFalse();
                    assertThat(c.getBean(KvStateCacheClient.class).capturePoint(100)).as("disabled: never capture").isZero();
                });
    }

    @Test
    void aCacheClientPropertiesBean_winsOverTheEnvironment() {
        CacheClientProperties provided = new CacheClientProperties(true, "127.0.0.1:1", Duration.ofMillis(50),
                Duration.ofSeconds(1), 8, TensorCodec.Precision.FP32, 4096, ClientFixture.CAPTURE,
                new CacheClientProperties.Breaker(50, 10, 5, Duration.ofSeconds(1), 1), ClientFixture.NEAR, Duration.ofSeconds(1));
        context.withBean(CacheClientProperties.class, () -> provided)
                .withPropertyValues("dragon.router.cache.block-size=16")
                .run(c -> assertThat(c.getBean(KvStateCacheClient.class).hasher().blockSize()).isEqualTo(8));
    }

    @Test
    void invalidSettings_failStartup_namingTheProperty() {
        context.withPropertyValues("dragon.router.cache.block-size=0").run(c ->
                assertThat(c).hasFailed().getFailure().rootCause().hasMessageContaining("dragon.router.cache.block-size"));
        context.withPropertyValues("dragon.router.cache.timeout=0s").run(c ->
                assertThat(c).hasFailed().getFailure().rootCause().hasMessageContaining("dragon.router.cache.timeout"));
    }
}
