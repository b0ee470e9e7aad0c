package dev.dragon.learning.testing;

import java.util.Map;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** One in-process KRaft broker per test JVM (spring-kafka-test), with transactions and large records enabled. */
public final class KafkaBroker {

    private static EmbeddedKafkaKraftBroker broker;
    private static Events events;

    private KafkaBroker() {
    }

    public static synchronized EmbeddedKafkaKraftBroker get() {
        if (broker == null) {
            EmbeddedKafkaKraftBroker b = new EmbeddedKafkaKraftBroker(1, 3);
            b.brokerProperties(Map.of(
                    "transaction.state.log.replication.factor", "1",
                    "transaction.state.log.min.isr", "1",
                    "offsets.topic.replication.factor", "1",
                    "group.initial.rebalance.delay.ms", "0",
                    "message.max.bytes", "8388608",
                    "transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000"));
            b.afterPropertiesSet();
            Runtime.getRuntime().addShutdownHook(new Thread(b::destroy));
            broker = b;
        }
        return broker;
    }

    public static String bootstrap() {
        return get().getBrokersAsString();
    }

    /** Test clients on this broker, shared by the test classes of this JVM (closed when it exits). */
    public static synchronized Events events() {
        if (events == null) {
            Events e = new Events(bootstrap());
            Runtime.getRuntime().addShutdownHook(new Thread(e::close));
            events = e;
        }
        return events;
    }
}
