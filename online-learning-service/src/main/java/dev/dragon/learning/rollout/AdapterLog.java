package dev.dragon.learning.rollout;

import dev.dragon.contracts.events.AdapterControlEvent;
import dev.dragon.contracts.events.AdapterRejectedException;
import dev.dragon.contracts.events.AdapterVerifier;
import dev.dragon.contracts.events.AdapterVersionEvent;
import dev.dragon.contracts.events.EventTopics;
import dev.dragon.learning.ingest.EventCodec;
import dev.dragon.learning.ingest.MalformedEventException;
import dev.dragon.learning.pc.PcWeights;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ConsumerFactory;

/**
 * Reads {@code dragon.adapters} back (read_committed, from the beginning to the last stable offset): where the
 * learner resumes after a restart, and where a rollback finds old weights. Records that fail verification are
 * skipped and logged: the learner never builds on a version routers would refuse.
 */
public final class AdapterLog {

    private static final Logger LOG = LoggerFactory.getLogger(AdapterLog.class);

    private final ConsumerFactory<String, byte[]> consumers;
    private final String topic;
    private final AdapterVerifier verifier;
    private final EventCodec codec;
    private final PcWeights baseWeights;
    private final Duration timeout;

    public AdapterLog(ConsumerFactory<String, byte[]> consumers, String topic, AdapterVerifier verifier,
                      EventCodec codec, PcWeights baseWeights, Duration timeout) {
        this.consumers = consumers;
        this.topic = topic;
        this.verifier = verifier;
        this.codec = codec;
        this.baseWeights = baseWeights;
        this.timeout = timeout;
    }

    /** The whole history: every valid version in order, the newest weights, the pin in force. */
    public AdapterHistory read() {
        List<VersionInfo> versions = new ArrayList<>();
        PcWeights[] latest = {baseWeights};
        Long[] pinned = {null};
        scan(record -> {
            long version = EventTopics.versionOfKey(record.key());
            if (version > 0) {
                AdapterVerifier.Verified v = verify(record);
                if (v != null) {
                    versions.add(VersionInfo.of(v.event()));
                    latest[0] = weights(v);
                }
            } else if (EventTopics.CONTROL_KEY.equals(record.key()) && record.value() != null) {
                try {
                    AdapterControlEvent c = verifier.verify(codec.read(record.value(), AdapterControlEvent.class));
                    pinned[0] = c.action() == AdapterControlEvent.Action.PIN ? c.version() : null;
                } catch (AdapterRejectedException | MalformedEventException e) {
                    LOG.warn("skipping control record at offset {}: {}", record.offset(), e.getMessage());
                }
            }
            return false;
        });
        versions.sort(java.util.Comparator.comparingLong(VersionInfo::version));
        return new AdapterHistory(versions, latest[0], pinned[0]);
    }

    /** The weights of {@code version} (0 = the bundle's layer), or null when the log has no valid such version. */
    public PcWeights weightsOf(long version) {
        if (version == 0) {
            return baseWeights;
        }
        String key = EventTopics.versionKey(version);
        PcWeights[] found = {null};
        scan(record -> {
            if (key.equals(record.key())) {
                AdapterVerifier.Verified v = verify(record);
                found[0] = v == null ? null : weights(v);
            }
            return false;
        });
        return found[0];
    }

    private AdapterVerifier.Verified verify(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return null;
        }
        try {
            return verifier.verify(codec.read(record.value(), AdapterVersionEvent.class));
        } catch (AdapterRejectedException | MalformedEventException e) {
            LOG.warn("skipping adapter record {} at offset {}: {}", record.key(), record.offset(), e.getMessage());
            return null;
        }
    }

    private PcWeights weights(AdapterVerifier.Verified v) {
        return new PcWeights(v.event().pcHidden(), v.event().dModel(), v.w1(), v.w2());
    }

    /** Feeds every committed record to {@code visit} until it returns true or the end is reached. */
    private void scan(Predicate<ConsumerRecord<String, byte[]>> visit) {
        try (Consumer<String, byte[]> consumer = consumers.createConsumer(null, "adapter-log", null)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, timeout) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no progress reading " + topic + " for " + timeout);
                }
                var records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    deadline = System.nanoTime() + timeout.toNanos();
                }
                for (ConsumerRecord<String, byte[]> record : records) {
                    if (visit.test(record)) {
                        return;
                    }
                }
            }
        }
    }
}
