package dev.dragon.learning.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.contracts.events.AdapterVerifier;
import dev.dragon.core.adapter.PcAdapter;
import dev.dragon.core.engine.EngineObserver;
import dev.dragon.core.engine.EngineOptions;
import dev.dragon.core.engine.LocalEngine;
import dev.dragon.learning.testing.HeadScoring;
import dev.dragon.learning.pc.PcWeights;
import dev.dragon.learning.pc.Perplexity;
import dev.dragon.learning.testing.Decisions;
import dev.dragon.learning.testing.Feed;
import dev.dragon.learning.testing.Generation;
import dev.dragon.learning.testing.LearnerTestConfig;
import dev.dragon.learning.testing.Teaching;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * End to end with a real KRaft broker and real ONNX Runtime over the shipped bundle: a stream of feedback that
 * teaches a ledger format of this test's own making (the base model has never seen it) must make the newest
 * published version cut the perplexity of held-out ledger entries by at least 20% while the fixed base holdout
 * regresses by at most 0.5%, and an engine that is handed the verified version serves it without a restart.
 */
class AdaptationIT extends InProcessLearner {

    private static final Logger LOG = LoggerFactory.getLogger(AdaptationIT.class);
    private static final String SUFFIX = "adapt";

    @DynamicPropertySource
    static void learner(DynamicPropertyRegistry registry) {
        LearnerTestConfig.register(registry, SUFFIX);
    }

    @Test
    void teachingFeedback_cutsHeldOutPerplexityByAFifth_keepsTheBase_andIsServedWithoutRestart() throws Exception {
        var tokenizer = host.tokenizer();
        List<Teaching.Sample> heldOut = Teaching.samples(tokenizer, 24, 99);
        Decisions decisions = new Decisions(events, SUFFIX, host);

        long sent = System.currentTimeMillis();
        List<String> ids = new Feed(events, tokenizer, SUFFIX).teach(Teaching.samples(tokenizer, 48, 1), "teach", 3);
        decisions.awaitDecided(ids, Duration.ofMinutes(20));

        List<AdapterVerifier.Verified> versions = decisions.versions();
        assertThat(versions).as("at least one candidate was promoted").isNotEmpty();
        AdapterVerifier.Verified latest = versions.getLast();
        LOG.info("{} versions; the newest, {}, was created {} ms after the first feedback was sent; gate {}",
                versions.size(), latest.version(), latest.event().createdAtMs() - sent, latest.event().gate());
        var arch = host.architecture();
        PcAdapter adapted = PcAdapter.of(Long.toString(latest.version()), Long.toString(latest.event().parent()),
                arch.pcHidden(), arch.dModel(), latest.w1(), latest.w2());

        double before = heldOutPerplexity(host.model().baseAdapter(), heldOut);
        double after = heldOutPerplexity(adapted, heldOut);
        LOG.info("held-out ledger perplexity {} -> {}", before, after);
        assertThat(after).as("held-out perplexity of the taught format").isLessThanOrEqualTo(0.8 * before);

        PcWeights adaptedWeights = new PcWeights(arch.pcHidden(), arch.dModel(), latest.w1(), latest.w2());
        double baseBefore = Perplexity.of(host.baseWeights(), base.holdout(), loss);
        double baseAfter = Perplexity.of(adaptedWeights, base.holdout(), loss);
        LOG.info("base holdout perplexity {} -> {}", baseBefore, baseAfter);
        assertThat(baseAfter).as("base holdout perplexity").isLessThanOrEqualTo(baseBefore * 1.005);

        try (LocalEngine engine = new LocalEngine(host.model(), host.experts(), new EngineOptions(2, 8, 256),
                EngineObserver.NONE)) {
            int[] prompt = heldOut.getFirst().promptIds();
            Generation.Result first = Generation.greedy(engine, prompt, 24);
            engine.setAdapter(adapted);                        // what the router's AdapterSubscriber does once verified
            Generation.Result second = Generation.greedy(engine, prompt, 24);
            assertThat(first.completion().adapterVersion()).isEqualTo("0");
            assertThat(second.completion().adapterVersion()).isEqualTo(Long.toString(latest.version()));
            LOG.info("greedy answer before: '{}', after: '{}'", first.text(), second.text());
        }
    }

    private double heldOutPerplexity(PcAdapter adapter, List<Teaching.Sample> samples) {
        var tokenizer = host.tokenizer();
        double nll = 0;
        int tokens = 0;
        for (Teaching.Sample s : samples) {
            int[] completion = Teaching.completionIds(tokenizer, s.completion());
            int[] ids = java.util.Arrays.copyOf(s.promptIds(), s.promptIds().length + completion.length);
            System.arraycopy(completion, 0, ids, s.promptIds().length, completion.length);
            nll += HeadScoring.sumNll(host, adapter, ids, s.promptIds().length);
            tokens += completion.length;
        }
        return Math.exp(nll / tokens);
    }
}
