package dev.dragon.learning.rollout;

import dev.dragon.learning.config.LearningProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The learner's Kafka topology and pacing: creates the topics it reads and writes when missing
 * ({@code dragon.adapters} compacted with one partition, so versions have one total order, and room for
 * records of a few MB), and finds the partitions it consumes.
 */
public final class LearnerSetup {

    /** Largest record on {@code dragon.adapters}: a 256×256 fp32 pair is ~0.7 MB in base64. */
    public static final int MAX_ADAPTER_RECORD_BYTES = 8 * 1024 * 1024;

    private final LearningProperties props;
    private final KafkaAdmin admin;

    public LearnerSetup(LearningProperties props, KafkaAdmin admin) {
        this.props = props;
        this.admin = admin;
    }

    public void ensureTopics() {
        var k = props.kafka();
        var t = k.topics();
        admin.createOrModifyTopics(
                TopicBuilder.name(t.interactions()).partitions(k.partitions()).replicas(k.replicas()).build(),
                TopicBuilder.name(t.feedback()).partitions(k.partitions()).replicas(k.replicas()).build(),
                TopicBuilder.name(t.adapters()).partitions(1).replicas(k.replicas()).compact()
                        .config(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_ADAPTER_RECORD_BYTES))
                        .build(),
                TopicBuilder.name(t.decisions()).partitions(1).replicas(k.replicas()).build());
    }

    /** Every partition of the interaction and feedback topics. */
    public List<TopicPartition> inputPartitions(Consumer<?, ?> consumer) {
        List<TopicPartition> out = new ArrayList<>();
        for (String topic : List.of(props.kafka().topics().interactions(), props.kafka().topics().feedback())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " has no partitions");
            }
            infos.forEach(i -> out.add(new TopicPartition(topic, i.partition())));
        }
        return out;
    }

    public String interactionsTopic() {
        return props.kafka().topics().interactions();
    }

    public Duration pollTimeout() {
        return props.kafka().pollTimeout();
    }

    public Duration commitInterval() {
        return props.kafka().commitInterval();
    }

    public Duration retryBackoff() {
        return props.kafka().retryBackoff();
    }

    public int minExamples() {
        return props.update().minExamples();
    }

    public Duration maxWait() {
        return props.update().maxWait();
    }

    public int maxExamples() {
        return props.update().maxExamples();
    }
}
