package dev.dragon.learning.rollout;

import dev.dragon.contracts.events.AdapterControlEvent;
import dev.dragon.contracts.events.AdapterVersionEvent;
import dev.dragon.contracts.events.CandidateDecisionEvent;
import dev.dragon.contracts.events.EventTopics;
import dev.dragon.learning.ingest.EventCodec;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Everything the learner writes goes through one transactional producer (Spring Kafka's {@link KafkaTemplate}
 * with a transaction id prefix, idempotent): a decision, the version it promotes and the consumer offsets it
 * covers commit together or not at all. {@code read_committed} consumers (routers, a restarted learner) never
 * see a version whose offsets were not committed, nor the reverse. A learner that starts with the same
 * transactional id fences the previous one, so a zombie cannot publish after its successor started.
 */
public final class TransactionalPublisher {

    private final KafkaTemplate<String, byte[]> template;
    private final EventCodec codec;
    private final String adaptersTopic;
    private final String decisionsTopic;

    public TransactionalPublisher(KafkaTemplate<String, byte[]> template, EventCodec codec, String adaptersTopic,
                                  String decisionsTopic) {
        if (!template.isTransactional()) {
            throw new IllegalArgumentException("the learner's KafkaTemplate must be transactional");
        }
        this.template = template;
        this.codec = codec;
        this.adaptersTopic = adaptersTopic;
        this.decisionsTopic = decisionsTopic;
    }

    /** Starts the producer: initialises transactions, which fences an earlier learner and aborts its open work. */
    public void fence() {
        template.executeInTransaction(ops -> null);
    }

    /** One transaction: the promoted version (when not null), the decision, and the offsets it covers. */
    public void decide(AdapterVersionEvent promoted, CandidateDecisionEvent decision,
                       Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
        template.executeInTransaction(ops -> {
            if (promoted != null) {
                ops.send(new ProducerRecord<>(adaptersTopic, EventTopics.versionKey(promoted.version()),
                        codec.write(promoted)));
            }
            ops.send(new ProducerRecord<>(decisionsTopic, decision.outcome().name(), codec.write(decision)));
            if (!offsets.isEmpty()) {
                ops.sendOffsetsToTransaction(offsets, group);
            }
            return null;
        });
    }

    /** One transaction with only consumer offsets (records that needed no decision: dropped or expired). */
    public void commitOffsets(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
        template.executeInTransaction(ops -> {
            ops.sendOffsetsToTransaction(offsets, group);
            return null;
        });
    }

    /** A version not produced by training (a rollback), in its own transaction. */
    public void publishVersion(AdapterVersionEvent version) {
        template.executeInTransaction(ops -> ops.send(new ProducerRecord<>(adaptersTopic,
                EventTopics.versionKey(version.version()), codec.write(version))));
    }

    /** A pin or unpin record, in its own transaction. */
    public void publishControl(AdapterControlEvent control) {
        template.executeInTransaction(ops -> ops.send(new ProducerRecord<>(adaptersTopic, EventTopics.CONTROL_KEY,
                codec.write(control))));
    }
}
