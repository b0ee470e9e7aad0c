package dev.dragon.router.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.core.bundle.ModelBundle;
import dev.dragon.core.expert.ExpertBackend;
import dev.dragon.core.tensor.TensorCodec;
import dev.dragon.router.config.RouterConfiguration;
import dev.dragon.router.discovery.DiscoveryProperties;
import dev.dragon.router.discovery.ExpertDiscovery;
import dev.dragon.router.discovery.ReplicaEndpoint;
import dev.dragon.router.discovery.StaticExpertDiscovery;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code dragon.router.dispatch.*} and {@code dragon.router.discovery.*} bind with their defaults; remote mode
 * builds the discovery and the remote backend, local mode builds neither, and bad settings fail at startup
 * naming the property.
 */
class DispatchConfigurationTest {

    @Configuration(proxyBeanMethods = false)
    static class Shared {
        @Bean
        ModelBundle modelBundle() {
            return ShippedExperts.bundle();
        }

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Shared.class, RouterConfiguration.Settings.class, DispatchConfiguration.class);

    @Test
    void defaults_areLocalFp16_andBuildNoRemoteBeans() {
        runner.run(context -> {
            DispatchProperties dispatch = context.getBean(DispatchProperties.class);
            assertThat(dispatch.mode()).isEqualTo(DispatchProperties.Mode.LOCAL);
            assertThat(dispatch.precision()).isEqualTo(TensorCodec.Precision.FP16);
            assertThat(dispatch.callTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(dispatch.deadline()).isEqualTo(Duration.ofSeconds(10));
            assertThat(dispatch.retries()).isEqualTo(2);
            assertThat(dispatch.placement()).isEmpty();
            DiscoveryProperties discovery = context.getBean(DiscoveryProperties.class);
            assertThat(discovery.mode()).isEqualTo(DiscoveryProperties.Mode.STATIC);
            assertThat(discovery.staticEndpoints()).isEmpty();
            assertThat(discovery.kubernetes().namespace()).isEqualTo("default");
            assertThat(discovery.kubernetes().labelKey()).isEqualTo("dragon.dev/expert-group");
            assertThat(discovery.kubernetes().portName()).isEqualTo("grpc");
            assertThat(context).doesNotHaveBean(ExpertBackend.class).doesNotHaveBean(ExpertDiscovery.class);
        });
    }

    @Test
    void remoteMode_withStaticEndpoints_buildsTheDiscoveryAndTheRemoteBackend() {
        runner.withPropertyValues("dragon.router.dispatch.mode=remote", "dragon.router.dispatch.precision=fp32",
                "dragon.router.dispatch.call-timeout=750ms",
                "dragon.router.discovery.static-endpoints.g0=127.0.0.1:19092,127.0.0.1:19093",
                "dragon.router.discovery.static-endpoints.g1=127.0.0.1:19094").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(DispatchProperties.class).precision()).isEqualTo(TensorCodec.Precision.FP32);
            assertThat(context.getBean(DispatchProperties.class).callTimeout()).isEqualTo(Duration.ofMillis(750));
            ExpertDiscovery discovery = context.getBean("expertDiscovery", ExpertDiscovery.class);
            assertThat(discovery).isInstanceOf(StaticExpertDiscovery.class);
            assertThat(discovery.replicas("g0")).containsExactly(new ReplicaEndpoint("127.0.0.1", 19092),
                    new ReplicaEndpoint("127.0.0.1", 19093));
            RemoteExpertBackend backend = context.getBean("expertBackend", RemoteExpertBackend.class);
            assertThat(context.getBean(ExpertBackend.class)).isSameAs(backend);
            assertThat(backend.replicas("g0")).isEqualTo(2);
            assertThat(backend.replicas("g1")).isEqualTo(1);
        });
    }

    @Test
    void badSettings_failStartup_namingTheProperty() {
        runner.withPropertyValues("dragon.router.dispatch.mode=remote",
                "dragon.router.discovery.static-endpoints.g0=not-an-endpoint")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("dragon.router.discovery.static-endpoints.g0: 'not-an-endpoint'"));
        runner.withPropertyValues("dragon.router.dispatch.mode=remote", "dragon.router.dispatch.placement.g0[0]=0")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("leaves experts without a group"));
        runner.withPropertyValues("dragon.router.dispatch.call-timeout=5s", "dragon.router.dispatch.deadline=1s")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("deadline"));
        runner.withPropertyValues("dragon.router.dispatch.retries=-1")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("retries"));
        runner.withPropertyValues("dragon.router.dispatch.mode=sideways")
                .run(context -> assertThat(context).hasFailed());
    }

    @Test
    void kubernetesMode_buildsAnInformerDiscovery_againstTheConfiguredApiServer() {
        runner.withPropertyValues("dragon.router.dispatch.mode=remote", "dragon.router.discovery.mode=kubernetes",
                "dragon.router.discovery.kubernetes.api-server=http://127.0.0.1:1",
                "dragon.router.discovery.kubernetes.namespace=dragon").run(context -> {
            assertThat(context).hasNotFailed();
            ExpertDiscovery discovery = context.getBean(ExpertDiscovery.class);
            assertThat(discovery).isInstanceOf(dev.dragon.router.discovery.KubernetesExpertDiscovery.class);
            assertThat(discovery.replicas("g0")).isEmpty();                 // nothing reachable: no replicas yet
            assertThat(((dev.dragon.router.discovery.KubernetesExpertDiscovery) discovery).labelSelector())
                    .isEqualTo("dragon.dev/expert-group in (g0,g1)");
        });
    }
}
