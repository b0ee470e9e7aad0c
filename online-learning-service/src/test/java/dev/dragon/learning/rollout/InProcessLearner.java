package dev.dragon.learning.rollout;

import static org.awaitility.Awaitility.await;

import dev.dragon.learning.model.BaseSet;
import dev.dragon.learning.model.LmHeadLoss;
import dev.dragon.learning.model.ModelHost;
import dev.dragon.learning.testing.Events;
import dev.dragon.learning.testing.KafkaBroker;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The learner booted in the test JVM against the shared KRaft broker, ready before each test. Each subclass names
 * its own topics and group with a {@code @DynamicPropertySource} ({@code LearnerTestConfig.register}).
 */
@SpringBootTest
abstract class InProcessLearner {

    protected final Events events = KafkaBroker.events();

    @Autowired
    ModelHost host;

    @Autowired
    LmHeadLoss loss;

    @Autowired
    BaseSet base;

    @Autowired
    LearnerLoop loop;

    @Autowired
    MeterRegistry registry;

    @BeforeEach
    void learnerReady() {
        await().atMost(Duration.ofMinutes(5)).until(loop::ready);
    }
}
