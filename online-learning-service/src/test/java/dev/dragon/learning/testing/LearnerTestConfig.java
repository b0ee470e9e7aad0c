package dev.dragon.learning.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Learner settings for tests: the shipped bundle, the test broker, topics and group of the test's own (so test
 * classes sharing the broker never see each other's records), small updates, the admin API on a free port.
 */
public final class LearnerTestConfig {

    public static final String SIGNING_KEY = "test-signing-key-0123456789";

    private LearnerTestConfig() {
    }

    /** Topic names of a test: {@code dragon.<kind>.<suffix>}. */
    public static String topic(String kind, String suffix) {
        return "dragon." + kind + "." + suffix;
    }

    /** {@code --name=value} settings of the learner for {@code suffix}. */
    public static Map<String, String> settings(String suffix, String bootstrap) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("dragon.learning.bundle", ShippedBundle.DIR.toAbsolutePath().normalize().toString());
        s.put("dragon.learning.signing-key", SIGNING_KEY);
        s.put("dragon.learning.kafka.bootstrap-servers", bootstrap);
        s.put("dragon.learning.kafka.group-id", "learner-" + suffix);
        s.put("dragon.learning.kafka.transactional-id", "learner-" + suffix + "-");
        s.put("dragon.learning.kafka.commit-interval", "1s");
        s.put("dragon.learning.kafka.retry-backoff", "500ms");
        s.put("dragon.learning.kafka.topics.interactions", topic("interactions", suffix));
        s.put("dragon.learning.kafka.topics.feedback", topic("feedback", suffix));
        s.put("dragon.learning.kafka.topics.adapters", topic("adapters", suffix));
        s.put("dragon.learning.kafka.topics.decisions", topic("decisions", suffix));
        s.put("dragon.learning.join.feedback-wait", "10s");
        s.put("dragon.learning.examples.holdout-every", "4");
        s.put("dragon.learning.examples.min-holdout", "3");
        s.put("dragon.learning.examples.max-tenant-share", "1.0");
        s.put("dragon.learning.update.min-examples", "8");
        s.put("dragon.learning.update.max-examples", "32");
        s.put("dragon.learning.update.max-wait", "5s");
        s.put("dragon.learning.base.replay-sequences", "16");
        s.put("dragon.learning.base.holdout-sequences", "16");
        s.put("dragon.learning.base.tokens", "64");
        s.put("dragon.learning.admin.port", "0");
        s.put("server.port", "0");
        return s;
    }

    public static void register(DynamicPropertyRegistry registry, String suffix) {
        register(registry, suffix, Map.of());
    }

    /** The settings of {@code suffix} with {@code overrides} on top. */
    public static void register(DynamicPropertyRegistry registry, String suffix, Map<String, String> overrides) {
        Map<String, String> s = settings(suffix, KafkaBroker.bootstrap());
        s.putAll(overrides);
        s.forEach((k, v) -> registry.add(k, () -> v));
    }
}
