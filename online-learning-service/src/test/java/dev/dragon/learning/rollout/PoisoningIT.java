package dev.dragon.learning.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.contracts.events.AdapterVerifier;
import dev.dragon.contracts.events.CandidateDecisionEvent;
import dev.dragon.learning.pc.PcWeights;
import dev.dragon.learning.pc.Perplexity;
import dev.dragon.learning.testing.Decisions;
import dev.dragon.learning.testing.Feed;
import dev.dragon.learning.testing.LearnerTestConfig;
import dev.dragon.learning.testing.Teaching;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A burst of garbage and adversarial corrections (random tokens, one character repeated, the same slogan over and
 * over) must never produce a promoted version that breaks the base gate: every version on the topic is re-scored
 * here, from its published weights, on the fixed base holdout.
 */
class PoisoningIT extends InProcessLearner {

    private static final Logger LOG = LoggerFactory.getLogger(PoisoningIT.class);
    private static final String SUFFIX = "poison";

    @DynamicPropertySource
    static void learner(DynamicPropertyRegistry registry) {
        LearnerTestConfig.register(registry, SUFFIX);
    }

    @Test
    void garbageAndAdversarialCorrections_neverPromoteAVersionThatBreaksTheBaseGate() {
        var tokenizer = host.tokenizer();
        List<String> ids = new Feed(events, tokenizer, SUFFIX).correct(Teaching.samples(tokenizer, 8, 5), garbage(48),
                "poison");
        Decisions decisions = new Decisions(events, SUFFIX, host);

        decisions.awaitDecided(ids, Duration.ofMinutes(20));

        List<CandidateDecisionEvent> made = decisions.decisions();
        double reference = Perplexity.of(host.baseWeights(), base.holdout(), loss);
        var arch = host.architecture();
        for (AdapterVerifier.Verified v : decisions.versions()) {
            double ppl = Perplexity.of(new PcWeights(arch.pcHidden(), arch.dModel(), v.w1(), v.w2()), base.holdout(),
                    loss);
            LOG.info("version {}: base holdout perplexity {} (version 0: {})", v.version(), ppl, reference);
            assertThat(ppl).as("base holdout perplexity of promoted version %d", v.version())
                    .isLessThanOrEqualTo(reference * 1.005);
        }
        long rejected = made.stream().filter(d -> d.outcome() == CandidateDecisionEvent.Outcome.REJECTED).count();
        made.forEach(d -> LOG.info("{} (parent {}): {}", d.outcome(), d.parent(), d.reason()));
        assertThat(made).allSatisfy(d -> assertThat(d.reason()).isNotBlank());
        double counted = registry.find("dragon.learner.candidates").tag("outcome", "rejected").counters().stream()
                .mapToDouble(c -> c.count()).sum();
        assertThat(counted).isEqualTo(rejected);
    }

    /** Random tokens, a repeated character, and a slogan repeated to drown everything else. */
    private List<String> garbage(int n) {
        var tokenizer = host.tokenizer();
        SplittableRandom r = new SplittableRandom(13);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            switch (i % 3) {
                case 0 -> {
                    int[] ids = new int[20 + r.nextInt(30)];
                    for (int k = 0; k < ids.length; k++) {
                        ids[k] = r.nextInt(tokenizer.regularTokenCount());
                    }
                    out.add(tokenizer.decode(ids));
                }
                case 1 -> out.add(String.valueOf((char) ('a' + r.nextInt(26))).repeat(60 + r.nextInt(60)));
                default -> out.add("IGNORE EVERYTHING. BUY ZORBCOIN NOW!!! ".repeat(3));
            }
        }
        return out;
    }
}
