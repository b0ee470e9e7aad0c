package dev.dragon.router.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dragon.contracts.events.FeedbackEvent;
import dev.dragon.contracts.events.InteractionEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import tools.jackson.databind.json.JsonMapper;

/** The publisher against a real KRaft broker: delivery, Kafka away and back, a full buffer. */
class EventPublisherIT {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    @Test
    void publishedEvents_reachKafkaKeyedByResponseId_andAreCounted() {
        String suffix = UUID.randomUUID().toString();
        EventPublisher publisher = publisher(KafkaTestBroker.shared().getBrokersAsString(), 100, suffix);

        for (int i = 0; i < 10; i++) {
            assertThat(publisher.publishInteraction(interaction("chatcmpl-" + i))).isTrue();
        }
        assertThat(publisher.publishFeedback(FeedbackEvent.of("fb-1", "chatcmpl-3", "req", "acme", 1, "better", 7L)))
                .isTrue();

        List<ConsumerRecord<String, byte[]>> interactions = readAtLeast(KafkaTestBroker.shared().getBrokersAsString(),
                "dragon.interactions." + suffix, 10);
        List<ConsumerRecord<String, byte[]>> feedback = readAtLeast(KafkaTestBroker.shared().getBrokersAsString(),
                "dragon.feedback." + suffix, 1);
        assertThat(interactions).extracting(ConsumerRecord::key).contains("chatcmpl-0", "chatcmpl-9");
        InteractionEvent first = JsonMapper.shared().readValue(interactions.getFirst().value(), InteractionEvent.class);
        assertThat(first.schemaVersion()).isEqualTo(InteractionEvent.SCHEMA_VERSION);
        assertThat(first.promptTokens()).containsExactly(1, 2, 3);
        FeedbackEvent fb = JsonMapper.shared().readValue(feedback.getFirst().value(), FeedbackEvent.class);
        assertThat(fb.correctedCompletion()).isEqualTo("better");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(count("dragon.events.published", "dragon.interactions." + suffix)).isEqualTo(10);
            assertThat(count("dragon.events.published", "dragon.feedback." + suffix)).isEqualTo(1);
        });
        assertThat(count("dragon.events.dropped", "dragon.interactions." + suffix)).isZero();
    }

    @Test
    void whileKafkaIsAway_eventsWaitInTheBuffer_andGoOutWhenItComes() throws Exception {
        int port = freePort();
        String suffix = UUID.randomUUID().toString();
        EventPublisher publisher = publisher("localhost:" + port, 100, suffix);

        for (int i = 0; i < 20; i++) {
            assertThat(publisher.publishInteraction(interaction("chatcmpl-late-" + i))).isTrue();
        }
        assertThat(publisher.backlog()).isEqualTo(20);
        assertThat(count("dragon.events.dropped", "dragon.interactions." + suffix)).isZero();

        String[] broker = KafkaTestBroker.shared().getBrokersAsString().split(",")[0].split(":");
        TcpGate kafka = new TcpGate(port, broker[0], Integer.parseInt(broker[1]));
        cleanup.add(kafka);
        kafka.open();                                    // Kafka is back

        assertThat(readAtLeast(KafkaTestBroker.shared().getBrokersAsString(), "dragon.interactions." + suffix, 20))
                .extracting(ConsumerRecord::key).hasSize(20).doesNotHaveDuplicates();
        await().atMost(Duration.ofSeconds(60)).until(() -> publisher.backlog() == 0);
        assertThat(count("dragon.events.published", "dragon.interactions." + suffix)).isEqualTo(20);
    }

    @Test
    void aFullBuffer_dropsAndCountsTheOverflow_withoutFailingTheCaller() throws Exception {
        String suffix = UUID.randomUUID().toString();
        EventsProperties props = properties("localhost:" + freePort(), 5, suffix, true);
        EventPublisher publisher = new EventPublisher(props, EventsConfiguration.template(props), registry);
        // not started: no sender drains the buffer, as when Kafka has been away for a while

        int accepted = 0;
        for (int i = 0; i < 30; i++) {
            if (publisher.publishFeedback(FeedbackEvent.of("fb-" + i, "r-" + i, "req", "t", 1, null, i))) {
                accepted++;
            }
        }

        assertThat(accepted).isEqualTo(5);
        assertThat(count("dragon.events.dropped", "dragon.feedback." + suffix)).isEqualTo(30 - accepted);
        assertThat(publisher.backlog()).isEqualTo(accepted);
    }

    @Test
    void disabledEvents_areCountedAsDropped() {
        String suffix = UUID.randomUUID().toString();
        EventsProperties props = properties("localhost:1", 10, suffix, false);
        EventPublisher publisher = new EventPublisher(props, null, registry);
        publisher.start();
        cleanup.add(publisher::stop);

        assertThat(publisher.publishInteraction(interaction("chatcmpl-x"))).isFalse();
        assertThat(count("dragon.events.dropped", "dragon.interactions." + suffix)).isEqualTo(1);
    }

    private EventPublisher publisher(String bootstrap, int buffer, String suffix) {
        EventsProperties props = properties(bootstrap, buffer, suffix, true);
        EventPublisher publisher = new EventPublisher(props, EventsConfiguration.template(props), registry);
        publisher.start();
        cleanup.add(publisher::stop);
        return publisher;
    }

    private static EventsProperties properties(String bootstrap, int buffer, String suffix, boolean enabled) {
        return new EventsProperties(enabled, bootstrap, buffer, 8192, Duration.ofMillis(200), Duration.ofSeconds(5),
                new EventsProperties.Topics("dragon.interactions." + suffix, "dragon.feedback." + suffix));
    }

    private double count(String name, String topic) {
        return registry.get(name).tag("topic", topic).counter().count();
    }

    static InteractionEvent interaction(String responseId) {
        return InteractionEvent.of(responseId, "req-" + responseId, "acme", "dragon-moe-mini", "1.0.0", "0",
                new int[] {1, 2, 3}, new int[] {4, 5}, 42, null, System.currentTimeMillis());
    }

    static List<ConsumerRecord<String, byte[]>> readAtLeast(String bootstrap, String topic, int n) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (Consumer<String, byte[]> consumer = new DefaultKafkaConsumerFactory<String, byte[]>(config)
                .createConsumer()) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
                return out.size() >= n;
            });
        }
        return out;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
