package dev.dragon.platform;

import java.util.Map;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A single KRaft Kafka broker inside the launcher's JVM (spring-kafka-test's, from Maven Central), on a
 * loopback port it chooses itself, with the platform's topics and transactions enabled for the learner.
 */
public final class Kafka implements AutoCloseable {

    /** Created up front; the learner creates the compacted {@code dragon.adapters} itself. */
    static final String[] TOPICS = {"dragon.interactions", "dragon.feedback"};

    private final EmbeddedKafkaKraftBroker broker;

    private Kafka(EmbeddedKafkaKraftBroker broker) {
        this.broker = broker;
    }

    public static Kafka start() {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 3, TOPICS);
        broker.brokerProperties(Map.of(
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "offsets.topic.replication.factor", "1",
                "group.initial.rebalance.delay.ms", "0",
                "message.max.bytes", "8388608"));
        try {
            broker.afterPropertiesSet();
        } catch (RuntimeException e) {
            throw new PlatformException("cannot start the Kafka broker: " + e.getMessage(), e);
        }
        return new Kafka(broker);
    }

    public String bootstrap() {
        return broker.getBrokersAsString();
    }

    @Override
    public void close() {
        broker.destroy();
    }
}
