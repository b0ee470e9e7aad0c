package dev.dragon.platform.chaos;

import dev.dragon.contracts.events.CandidateDecisionEvent;
import dev.dragon.contracts.events.EventTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The learner's audit log ({@value EventTopics#DECISIONS}) as read by the platform's tests and benches: which
 * feedback each candidate trained on or held out, and the version it became when promoted.
 */
public final class LearnerDecisions {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * One {@link CandidateDecisionEvent}, the fields these readers need.
     *
     * @param version the promoted version, 0 when the candidate was rejected
     */
    public record Decision(long version, List<String> trainingFeedbackIds, List<String> holdoutFeedbackIds) {

        public boolean promoted() {
            return version > 0;
        }
    }

    private LearnerDecisions() {
    }

    /** Every decision on the topic so far, in partition order. */
    public static List<Decision> read(String bootstrap, Duration timeout) {
        List<Decision> out = new ArrayList<>();
        for (var record : TopicAudit.records(bootstrap, EventTopics.DECISIONS, timeout)) {
            JsonNode d = JSON.readTree(record.getValue());
            boolean promoted = CandidateDecisionEvent.Outcome.PROMOTED.name().equals(d.path("outcome").asString());
            out.add(new Decision(promoted ? d.path("version").asLong() : 0, strings(d.path("trainingFeedbackIds")),
                    strings(d.path("holdoutFeedbackIds"))));
        }
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }
}
