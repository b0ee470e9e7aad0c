package dev.dragon.learning.config;

import dev.dragon.learning.gate.PromotionGate;
import dev.dragon.learning.ingest.EventCodec;
import dev.dragon.learning.ingest.ExampleBuilder;
import dev.dragon.learning.metrics.LearnerMetrics;
import dev.dragon.learning.model.BaseSet;
import dev.dragon.learning.model.FeatureExtractor;
import dev.dragon.learning.model.LmHeadLoss;
import dev.dragon.learning.model.ModelHost;
import dev.dragon.learning.pc.AdapterTrainer;
import dev.dragon.learning.pc.GradientTrainer;
import dev.dragon.learning.pc.PcTrainer;
import dev.dragon.learning.pc.TrainerSettings;
import dev.dragon.learning.rollout.UpdateRunner;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The model side: bundle, features, loss, base set, trainer and gate. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LearningProperties.class)
public class LearningConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(LearningConfiguration.class);

    @Bean(destroyMethod = "close")
    ModelHost modelHost(LearningProperties props) {
        ModelHost host = ModelHost.open(Path.of(props.bundle()), props.ortThreads());
        LOG.info("loaded bundle {}@{} from {}", host.modelName(), host.modelVersion(), props.bundle());
        return host;
    }

    @Bean
    FeatureExtractor featureExtractor(ModelHost host) {
        return new FeatureExtractor(host);
    }

    @Bean
    LmHeadLoss lmHeadLoss(ModelHost host) {
        return new LmHeadLoss(host);
    }

    @Bean
    BaseSet baseSet(ModelHost host, FeatureExtractor features, LearningProperties props) {
        var b = props.base();
        long t0 = System.nanoTime();
        BaseSet set = BaseSet.load(host, features, b.replaySequences(), b.holdoutSequences(), b.tokens(), b.seed());
        LOG.info("base set from {}: {} replay rows, {} holdout rows in {} ms", set.source(), set.replay().n(),
                set.holdout().n(), (System.nanoTime() - t0) / 1_000_000);
        return set;
    }

    @Bean
    LearnerMetrics learnerMetrics(MeterRegistry registry) {
        return new LearnerMetrics(registry);
    }

    @Bean
    EventCodec eventCodec() {
        return new EventCodec();
    }

    @Bean
    ExampleBuilder exampleBuilder(ModelHost host, FeatureExtractor features, LearningProperties props) {
        return new ExampleBuilder(host.tokenizer(), features, props.examples().maxTokens());
    }

    @Bean
    PromotionGate promotionGate(LmHeadLoss loss, BaseSet base, ModelHost host, LearningProperties props) {
        PromotionGate gate = new PromotionGate(loss, base.holdout(), host.baseWeights(),
                props.gate().maxBaseRegression(), props.gate().minFeedbackImprovement());
        LOG.info("base holdout perplexity of version 0: {}", String.format("%.4f", gate.baseReference()));
        return gate;
    }

    @Bean
    AdapterTrainer adapterTrainer(LearningProperties props, LmHeadLoss loss) {
        var u = props.update();
        TrainerSettings settings = new TrainerSettings(u.epochs(), u.batchRows(), u.learningRate(), u.inferenceSteps(),
                u.inferenceRate(), u.errorClip(), u.updateClip(), u.anchor(), u.baseWeight(), 17);
        return GradientTrainer.METHOD.equals(u.method()) ? new GradientTrainer(settings, loss)
                : new PcTrainer(settings, loss);
    }

    @Bean
    UpdateRunner updateRunner(AdapterTrainer trainer, PromotionGate gate, BaseSet base, LearningProperties props) {
        return new UpdateRunner(trainer, gate, base.replay(), props.update().replayRatio());
    }
}
