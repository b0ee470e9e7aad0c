package dev.dragon.platform.chaos;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What actually arrived on a topic: a plain {@link KafkaConsumer} (no group, manual assignment) reads every
 * partition from the beginning to the end offsets it saw when it started; keys are the response ids of
 * interactions and feedback.
 */
public final class TopicAudit {

    private TopicAudit() {
    }

    public static Set<String> keys(String bootstrap, String topic, Duration timeout) {
        Set<String> keys = new HashSet<>();
        records(bootstrap, topic, timeout).forEach(r -> keys.add(r.getKey()));
        return keys;
    }

    /** Every record's key and value (UTF-8), in partition order. */
    public static List<Map.Entry<String, String>> records(String bootstrap, String topic, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<Map.Entry<String, String>> records = new java.util.ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = c.partitionsFor(topic, timeout).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reached(c, end) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    records.add(new java.util.AbstractMap.SimpleEntry<>(r.key(), r.value()));
                }
            }
        }
        return records;
    }

    private static boolean reached(KafkaConsumer<String, String> c, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue());
    }
}
