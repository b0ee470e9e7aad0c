package dev.dragon.learning.testing;

import dev.dragon.contracts.events.AdapterRejectedException;
import dev.dragon.contracts.events.AdapterSignatures;
import dev.dragon.contracts.events.AdapterVerifier;
import dev.dragon.contracts.events.AdapterVersionEvent;
import dev.dragon.contracts.events.CandidateDecisionEvent;
import dev.dragon.contracts.events.EventTopics;
import dev.dragon.core.bundle.ModelBundle;
import dev.dragon.learning.model.ModelHost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.awaitility.Awaitility;

/** Reads back what a learner committed: its decisions and its verified adapter versions. */
public final class Decisions {

    private final Events events;
    private final String decisionsTopic;
    private final String adaptersTopic;
    private final AdapterVerifier verifier;

    public Decisions(Events events, String suffix, ModelHost host) {
        this(events, suffix, host.bundle());
    }

    public Decisions(Events events, String suffix, ModelBundle bundle) {
        this.events = events;
        this.decisionsTopic = LearnerTestConfig.topic("decisions", suffix);
        this.adaptersTopic = LearnerTestConfig.topic("adapters", suffix);
        var arch = bundle.architecture();
        this.verifier = new AdapterVerifier(new AdapterSignatures(LearnerTestConfig.SIGNING_KEY), arch.pcHidden(),
                arch.dModel(), bundle.manifest().name(), bundle.manifest().version());
    }

    public List<CandidateDecisionEvent> decisions() {
        return events.read(decisionsTopic, CandidateDecisionEvent.class);
    }

    /** Feedback ids of every committed decision, training and held-out, duplicates kept. */
    public List<String> decidedFeedback() {
        List<String> ids = new ArrayList<>();
        for (CandidateDecisionEvent d : decisions()) {
            ids.addAll(d.trainingFeedbackIds());
            ids.addAll(d.holdoutFeedbackIds());
        }
        return ids;
    }

    /** Waits until every id of {@code feedbackIds} was decided on. */
    public void awaitDecided(Collection<String> feedbackIds, Duration timeout) {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofSeconds(2))
                .until(() -> new HashSet<>(decidedFeedback()).containsAll(feedbackIds));
    }

    /** Every version record on the adapter topic, verified (a record that does not verify fails the caller). */
    public List<AdapterVerifier.Verified> versions() {
        List<AdapterVerifier.Verified> out = new ArrayList<>();
        for (var record : events.records(adaptersTopic)) {
            if (EventTopics.versionOfKey(record.key()) < 0) {
                continue;
            }
            try {
                out.add(verifier.verify(events.codec().read(record.value(), AdapterVersionEvent.class)));
            } catch (AdapterRejectedException e) {
                throw new AssertionError("a published version does not verify: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** Ids that occur more than once. */
    public static Set<String> duplicates(List<String> ids) {
        Set<String> seen = new HashSet<>();
        Set<String> dup = new HashSet<>();
        ids.forEach(id -> {
            if (!seen.add(id)) {
                dup.add(id);
            }
        });
        return dup;
    }
}
