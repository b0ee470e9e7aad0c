package dev.dragon.learning.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Everything the online learner reads ({@code dragon.learning.*}). Defaults suit a small deployment; the README
 * lists them.
 *
 * @param bundle     path of the model bundle (the learner runs the whole model itself)
 * @param ortThreads ONNX Runtime intra-op threads
 * @param signingKey shared HMAC key that routers verify adapter versions with (at least 16 characters)
 */
@Validated
@ConfigurationProperties("dragon.learning")
public record LearningProperties(
        @DefaultValue("models/dragon-moe-mini") @NotBlank String bundle,
        @DefaultValue("2") @Min(1) @Max(64) int ortThreads,
        @NotBlank @Size(min = 16) String signingKey,
        @DefaultValue @Valid Kafka kafka,
        @DefaultValue @Valid Join join,
        @DefaultValue @Valid Examples examples,
        @DefaultValue @Valid Update update,
        @DefaultValue @Valid Gate gate,
        @DefaultValue @Valid Base base,
        @DefaultValue @Valid Admin admin) {

    /**
     * @param bootstrapServers Kafka brokers
     * @param groupId          consumer group whose committed offsets the learner resumes from
     * @param transactionalId  transactional id prefix; one learner per prefix (a restarted learner fences the old one)
     * @param partitions       partitions of the interaction and feedback topics when the learner creates them
     * @param replicas         replication factor of the topics the learner creates
     * @param pollTimeout      longest wait of one poll
     * @param commitInterval   how often offsets of records that needed no decision are committed
     * @param retryBackoff     pause after a Kafka failure before resynchronising
     * @param topics           topic names
     */
    public record Kafka(@DefaultValue("localhost:9092") @NotBlank String bootstrapServers,
                        @DefaultValue("dragon-learner") @NotBlank String groupId,
                        @DefaultValue("dragon-learner-") @NotBlank String transactionalId,
                        @DefaultValue("3") @Min(1) int partitions,
                        @DefaultValue("1") @Min(1) short replicas,
                        @DefaultValue("200ms") @NotNull Duration pollTimeout,
                        @DefaultValue("5s") @NotNull Duration commitInterval,
                        @DefaultValue("2s") @NotNull Duration retryBackoff,
                        @DefaultValue @Valid Topics topics) {
    }

    /** Topic names (defaults from {@code EventTopics}). */
    public record Topics(@DefaultValue("dragon.interactions") @NotBlank String interactions,
                         @DefaultValue("dragon.feedback") @NotBlank String feedback,
                         @DefaultValue("dragon.adapters") @NotBlank String adapters,
                         @DefaultValue("dragon.learner.decisions") @NotBlank String decisions) {
    }

    /**
     * @param window          feedback joins an interaction at most this long after it (event time)
     * @param feedbackWait    feedback read before its interaction waits this long before it is dropped as unknown
     * @param maxInteractions interactions kept for joining (the oldest go first)
     */
    public record Join(@DefaultValue("1h") @NotNull Duration window,
                       @DefaultValue("30s") @NotNull Duration feedbackWait,
                       @DefaultValue("100000") @Positive int maxInteractions) {
    }

    /**
     * @param maxTokens           longest example (prompt tail + completion) in tokens
     * @param holdoutEvery        one feedback in this many goes to the held-out feedback slice
     * @param holdoutSize         examples in the rolling held-out feedback slice
     * @param minHoldout          examples the slice needs before a candidate can be judged
     * @param maxTenantShare      largest share of one update's examples from one tenant
     * @param maxPendingPerTenant examples one tenant may have waiting; more are dropped
     */
    public record Examples(@DefaultValue("256") @Min(4) int maxTokens,
                           @DefaultValue("5") @Min(2) int holdoutEvery,
                           @DefaultValue("64") @Positive int holdoutSize,
                           @DefaultValue("4") @Positive int minHoldout,
                           @DefaultValue("0.5") @DecimalMin("0.01") @DecimalMax("1.0") double maxTenantShare,
                           @DefaultValue("1000") @Positive int maxPendingPerTenant) {
    }

    /**
     * @param method       {@code predictive-coding} or {@code gradient-descent} (the baseline)
     * @param minExamples  an update runs once this many training examples wait…
     * @param maxWait      …or once the oldest waited this long
     * @param maxExamples  most feedback examples in one update
     * @param replayRatio  base-replay rows per feedback row in an update (they ask to keep the base output)
     * @param baseWeight   β, weight of those replayed rows' pull towards the base output
     * @param epochs       passes over an update's rows
     * @param batchRows    rows per mini-batch
     * @param learningRate α
     * @param inferenceSteps K, relaxation steps of predictive-coding inference
     * @param inferenceRate  γ, relaxation step size
     * @param errorClip    largest L2 norm of one row's error
     * @param updateClip   largest Frobenius norm of one mini-batch's weight change, per matrix
     * @param anchor       λ, pull towards the last promoted version
     */
    public record Update(@DefaultValue("predictive-coding") @Pattern(regexp = "predictive-coding|gradient-descent")
                         String method,
                         @DefaultValue("16") @Positive int minExamples,
                         @DefaultValue("60s") @NotNull Duration maxWait,
                         @DefaultValue("64") @Positive int maxExamples,
                         @DefaultValue("3.0") @DecimalMin("0.0") double replayRatio,
                         @DefaultValue("4.0") @DecimalMin("0.0") double baseWeight,
                         @DefaultValue("8") @Positive int epochs,
                         @DefaultValue("64") @Positive int batchRows,
                         @DefaultValue("0.05") @Positive double learningRate,
                         @DefaultValue("4") @Positive int inferenceSteps,
                         @DefaultValue("0.25") @Positive double inferenceRate,
                         @DefaultValue("50") @Positive double errorClip,
                         @DefaultValue("1.0") @Positive double updateClip,
                         @DefaultValue("0.5") @DecimalMin("0.0") double anchor) {
    }

    /**
     * @param maxBaseRegression      relative rise of base-holdout perplexity over version 0 a candidate may have
     * @param minFeedbackImprovement relative drop of held-out feedback perplexity a candidate needs
     */
    public record Gate(@DefaultValue("0.005") @DecimalMin("0.0") double maxBaseRegression,
                       @DefaultValue("0.0") @DecimalMin("0.0") double minFeedbackImprovement) {
    }

    /**
     * The base set sampled from the bundle at startup (see {@code BaseSet}).
     *
     * @param replaySequences  sequences replayed in updates
     * @param holdoutSequences sequences of the fixed base holdout
     * @param tokens           tokens per sequence
     * @param seed             first sampling seed
     */
    public record Base(@DefaultValue("24") @Positive int replaySequences,
                       @DefaultValue("24") @Positive int holdoutSequences,
                       @DefaultValue("96") @Min(2) int tokens,
                       @DefaultValue("1000") long seed) {
    }

    /**
     * @param port admin API port (0 = any free port, logged at startup)
     * @param host address the admin API binds
     */
    public record Admin(@DefaultValue("8094") @Min(0) @Max(65535) int port,
                        @DefaultValue("127.0.0.1") @NotBlank String host) {
    }
}
