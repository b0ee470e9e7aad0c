package dev.dragon.router.events;

import java.util.Map;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** In-process KRaft brokers (spring-kafka-test) for the router's event and adapter tests: one shared per test JVM. */
public final class KafkaTestBroker {

    private static EmbeddedKafkaKraftBroker shared;

    private KafkaTestBroker() {
    }

    public static synchronized EmbeddedKafkaKraftBroker shared() {
        if (shared == null) {
            shared = start();
            EmbeddedKafkaKraftBroker b = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(b::destroy));
        }
        return shared;
    }

    private static EmbeddedKafkaKraftBroker start() {
        EmbeddedKafkaKraftBroker b = new EmbeddedKafkaKraftBroker(1, 1);
        b.brokerProperties(Map.of(
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "offsets.topic.replication.factor", "1",
                "message.max.bytes", "8388608"));
        b.afterPropertiesSet();
        return b;
    }
}
