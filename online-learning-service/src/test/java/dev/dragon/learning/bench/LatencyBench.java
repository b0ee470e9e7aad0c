package dev.dragon.learning.bench;

import dev.dragon.contracts.events.CandidateDecisionEvent;
import dev.dragon.learning.OnlineLearningApplication;
import dev.dragon.learning.model.ModelHost;
import dev.dragon.learning.rollout.LearnerLoop;
import dev.dragon.learning.testing.Decisions;
import dev.dragon.learning.testing.Feed;
import dev.dragon.learning.testing.KafkaBroker;
import dev.dragon.learning.testing.LearnerTestConfig;
import dev.dragon.learning.testing.Teaching;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Feedback-to-version latency of the learner, in process, against an in-process KRaft broker: {@code waves} times,
 * send a wave of teaching feedback (interactions first) and measure from the last send to the committed decision
 * that covers the whole wave (for a promoted version: the moment the version is readable on
 * {@code dragon.adapters}; a router's subscriber adds at most its 500 ms poll). Prints every wave, then p50/p95.
 * Not a test: numbers for the README.
 *
 * <pre>java -Xss16m -cp … dev.dragon.learning.bench.LatencyBench [waves] [feedback per wave]</pre>
 */
public final class LatencyBench {

    private LatencyBench() {
    }

    public static void main(String[] args) {
        int waves = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int perWave = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        String suffix = "bench-" + UUID.randomUUID();
        Map<String, String> settings = LearnerTestConfig.settings(suffix, KafkaBroker.bootstrap());
        settings.put("dragon.learning.update.min-examples", Integer.toString(Math.max(1, perWave / 2)));
        settings.put("dragon.learning.update.max-wait", "2s");
        List<String> args2 = new ArrayList<>();
        settings.forEach((k, v) -> args2.add("--" + k + "=" + v));
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(OnlineLearningApplication.class)
                .run(args2.toArray(String[]::new))) {
            LearnerLoop loop = app.getBean(LearnerLoop.class);
            ModelHost host = app.getBean(ModelHost.class);
            Awaitility.await().atMost(Duration.ofMinutes(5)).until(loop::ready);
            Feed feed = new Feed(KafkaBroker.events(), host.tokenizer(), suffix);
            Decisions decisions = new Decisions(KafkaBroker.events(), suffix, host);
            List<Long> latencies = new ArrayList<>();
            for (int w = 0; w < waves; w++) {
                List<String> ids = feed.teach(Teaching.samples(host.tokenizer(), perWave, 1000 + w), "wave" + w, 3);
                long sent = System.currentTimeMillis();
                Awaitility.await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100))
                        .until(() -> new HashSet<>(decisions.decidedFeedback()).containsAll(ids));
                long decided = decisions.decisions().stream().filter(d -> d.trainingFeedbackIds().stream()
                                .anyMatch(ids::contains) || d.holdoutFeedbackIds().stream().anyMatch(ids::contains))
                        .mapToLong(CandidateDecisionEvent::decidedAtMs).max().orElseThrow();
                long latency = decided - sent;
                latencies.add(latency);
                System.out.printf("wave %d: %d feedback decided %d ms after the last was sent%n", w, perWave, latency);
            }
            Collections.sort(latencies);
            System.out.printf("feedback -> committed version: p50 %d ms, p95 %d ms over %d waves; %d versions%n",
                    percentile(latencies, 0.50), percentile(latencies, 0.95), waves, decisions.versions().size());
        }
        KafkaBroker.get().destroy();
        System.exit(0);
    }

    private static long percentile(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }
}
