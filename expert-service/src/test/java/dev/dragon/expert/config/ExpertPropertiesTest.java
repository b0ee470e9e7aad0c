package dev.dragon.expert.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/** {@code dragon.expert.*} binds with its documented defaults and refuses what cannot work, naming the property. */
class ExpertPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ExpertProperties.class)
    static class Bind {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Bind.class);

    @Test
    void properties_haveTheDocumentedDefaults_whenOnlyTheGroupIsGiven() {
        runner.withPropertyValues("dragon.expert.group=g0").run(context -> {
            ExpertProperties p = context.getBean(ExpertProperties.class);
            assertThat(p.bundle()).isEqualTo(Path.of("models/dragon-moe-mini"));
            assertThat(p.group()).isEqualTo("g0");
            assertThat(p.placement()).isEmpty();
            assertThat(p.ort().threads()).isEqualTo(0);
            assertThat(p.ort().spinning()).isFalse();
            assertThat(p.warmUp().rows()).isEqualTo(64);
            assertThat(p.warmUp().rounds()).isEqualTo(3);
            assertThat(p.limits().maxRowsPerCall()).isEqualTo(16384);
        });
    }

    @Test
    void placement_bindsPerLayerFromIndexedCommaSeparatedProperties() {
        runner.withPropertyValues("dragon.expert.group=hot", "dragon.expert.placement[0]=1,3",
                "dragon.expert.placement[1]=", "dragon.expert.placement[2]=7").run(context -> {
            ExpertProperties p = context.getBean(ExpertProperties.class);
            assertThat(p.placement()).isEqualTo(List.of(List.of(1, 3), List.of(), List.of(7)));
        });
    }

    @Test
    void startup_fails_whenTheGroupIsMissing() {
        runner.run(context -> assertThat(context).hasFailed().getFailure()
                .rootCause().hasMessageContaining("dragon.expert").hasMessageContaining("group"));
    }

    @Test
    void startup_fails_forNegativeOrtThreads_orNegativeExperts() {
        runner.withPropertyValues("dragon.expert.group=g0", "dragon.expert.ort.threads=-1")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("ort.threads"));
        runner.withPropertyValues("dragon.expert.group=g0", "dragon.expert.placement[0]=-1")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("placement[0]"));
    }
}
