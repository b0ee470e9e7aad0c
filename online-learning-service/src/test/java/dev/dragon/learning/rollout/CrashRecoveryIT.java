package dev.dragon.learning.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.contracts.events.AdapterVerifier;
import dev.dragon.contracts.events.CandidateDecisionEvent;
import dev.dragon.core.bundle.ModelBundle;
import dev.dragon.core.tokenizer.BpeTokenizer;
import dev.dragon.learning.testing.Decisions;
import dev.dragon.learning.testing.Events;
import dev.dragon.learning.testing.Feed;
import dev.dragon.learning.testing.KafkaBroker;
import dev.dragon.learning.testing.LearnerProcess;
import dev.dragon.learning.testing.LearnerTestConfig;
import dev.dragon.learning.testing.ShippedBundle;
import dev.dragon.learning.testing.Teaching;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The packaged learner, a real process, killed with SIGKILL mid-stream and started again: the versions on
 * {@code dragon.adapters} must be 1, 2, 3, … with no gap and no duplicate, each the child of the one before, and
 * every feedback must be decided on exactly once (nothing lost, nothing repeated).
 */
class CrashRecoveryIT {

    private static final String SUFFIX = "crash";
    private static final Path LOG = Path.of("target", "crash-recovery-learner.log");

    @Test
    void aLearnerKilledMidStream_resumesWithGapFreeDuplicateFreeVersions_andLosesNoFeedback() throws Exception {
        ModelBundle bundle = ModelBundle.open(ShippedBundle.DIR);
        BpeTokenizer tokenizer = BpeTokenizer.load(bundle.tokenizerFile());
        Map<String, String> settings = LearnerTestConfig.settings(SUFFIX, KafkaBroker.bootstrap());
        List<String> sent = new ArrayList<>();
        try (Events events = new Events(KafkaBroker.bootstrap())) {
            Feed feed = new Feed(events, tokenizer, SUFFIX);
            Decisions decisions = new Decisions(events, SUFFIX, bundle);
            try (LearnerProcess first = LearnerProcess.start(settings, LOG)) {
                first.awaitStarted(0, Duration.ofMinutes(10));
                sent.addAll(feed.teach(Teaching.samples(tokenizer, 24, 1), "wave1", 2));
                Awaitility.await().atMost(Duration.ofMinutes(15)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> !decisions.decisions().isEmpty());
                sent.addAll(feed.teach(Teaching.samples(tokenizer, 24, 2), "wave2", 2));
                first.kill();                                       // mid-stream: wave 2 is being read and trained on
            }
            sent.addAll(feed.teach(Teaching.samples(tokenizer, 16, 3), "wave3", 2));     // while no learner runs
            try (LearnerProcess second = LearnerProcess.start(settings, LOG)) {
                second.awaitStarted(1, Duration.ofMinutes(10));
                decisions.awaitDecided(sent, Duration.ofMinutes(20));

                List<String> decided = decisions.decidedFeedback();
                assertThat(Decisions.duplicates(decided)).as("feedback decided twice").isEmpty();
                assertThat(new HashSet<>(decided)).as("every feedback decided").containsAll(sent);

                List<AdapterVerifier.Verified> versions = decisions.versions();
                List<CandidateDecisionEvent> promoted = decisions.decisions().stream()
                        .filter(d -> d.outcome() == CandidateDecisionEvent.Outcome.PROMOTED).toList();
                assertThat(versions).hasSameSizeAs(promoted);
                for (int i = 0; i < versions.size(); i++) {
                    assertThat(versions.get(i).version()).as("version #%d", i + 1).isEqualTo(i + 1L);
                    assertThat(versions.get(i).event().parent()).isEqualTo((long) i);
                    assertThat(promoted.get(i).version()).isEqualTo(i + 1L);
                }
            }
        }
    }
}
