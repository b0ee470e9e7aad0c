package dev.dragon.expert.config;

import dev.dragon.core.bundle.ModelBundle;
import dev.dragon.core.runtime.OrtRuntime;
import dev.dragon.core.runtime.RuntimeOptions;
import dev.dragon.expert.inference.ExpertDispatcher;
import dev.dragon.expert.inference.ExpertMetrics;
import dev.dragon.expert.inference.ExpertPlacement;
import dev.dragon.expert.inference.ServedExperts;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Opens the bundle, resolves this replica's placement and loads only its experts. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ExpertProperties.class)
public class ExpertConfiguration {

    /** Verifies every file of the bundle (size and SHA-256) before anything is loaded from it. */
    @Bean
    ModelBundle modelBundle(ExpertProperties properties) {
        return ModelBundle.open(properties.bundle());
    }

    @Bean
    OrtRuntime ortRuntime(ExpertProperties properties) {
        ExpertProperties.Ort ort = properties.ort();
        int threads = ort.threads() > 0 ? ort.threads() : RuntimeOptions.defaults().intraOpThreads();
        return new OrtRuntime(new RuntimeOptions(threads, ort.spinning()));
    }

    @Bean
    ExpertPlacement expertPlacement(ExpertProperties properties, ModelBundle bundle) {
        return ExpertPlacement.resolve(properties.group(), properties.placement(), bundle.manifest());
    }

    @Bean(destroyMethod = "close")
    ServedExperts servedExperts(ModelBundle bundle, OrtRuntime runtime, ExpertPlacement placement) {
        return ServedExperts.load(bundle, runtime, placement);
    }

    @Bean
    ExpertMetrics expertMetrics(MeterRegistry registry, ExpertPlacement placement, ModelBundle bundle) {
        return new ExpertMetrics(registry, placement, bundle.architecture().routedExperts());
    }

    @Bean
    ExpertDispatcher expertDispatcher(ServedExperts experts, ExpertMetrics metrics, ExpertProperties properties) {
        return new ExpertDispatcher(experts, metrics, properties.limits().maxRowsPerCall());
    }
}
