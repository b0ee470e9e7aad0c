package dev.dragon.contracts.events;

import java.util.List;

/**
 * The learner's verdict on one candidate version, written to {@value EventTopics#DECISIONS} in the same Kafka
 * transaction as the promoted version (if any) and the consumed offsets: an audit log in which every feedback
 * the learner used appears exactly once.
 *
 * @param schemaVersion       {@link #SCHEMA_VERSION}
 * @param outcome             promoted or rejected
 * @param version             the version published when promoted, else 0
 * @param parent              the live version the candidate was trained from
 * @param reason              why it was rejected (or "improved" when promoted)
 * @param trainingFeedbackIds feedback ids whose examples trained the candidate
 * @param holdoutFeedbackIds  feedback ids that joined the held-out feedback slice with this decision
 * @param gate                what the gate measured
 * @param decidedAtMs         epoch milliseconds
 */
public record CandidateDecisionEvent(int schemaVersion, Outcome outcome, long version, long parent, String reason,
                                     List<String> trainingFeedbackIds, List<String> holdoutFeedbackIds,
                                     GateMetrics gate, long decidedAtMs) {

    public static final int SCHEMA_VERSION = 1;

    public enum Outcome { PROMOTED, REJECTED }
}
