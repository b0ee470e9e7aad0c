package dev.dragon.learning.config;

import dev.dragon.learning.admin.AdminRoutes;
import dev.dragon.learning.admin.AdminServer;
import dev.dragon.learning.error.ErrorMapping;
import dev.dragon.learning.metrics.LearnerMetrics;
import dev.dragon.learning.rollout.LearnerLoop;
import dev.dragon.learning.rollout.VersionControl;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The admin API (its own port) over the learner's version control. */
@Configuration(proxyBeanMethods = false)
public class AdminConfiguration {

    @Bean
    VersionControl versionControl(LearnerLoop learnerLoop) {
        return new VersionControl(learnerLoop);
    }

    @Bean
    AdminServer adminServer(VersionControl control, LearnerMetrics metrics, LearningProperties props) {
        return new AdminServer(new AdminRoutes(control, new ErrorMapping(metrics), metrics), props.admin().host(),
                props.admin().port());
    }
}
