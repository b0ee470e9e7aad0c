package dev.dragon.router.events;

import dev.dragon.contracts.openai.OpenAiJson;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The router's event beans: {@code eventPublisher} ({@link EventPublisher}) and the {@code POST /v1/feedback}
 * controller, configured by the {@link EventsProperties} bean (the router's properties record exposes its nested
 * {@code events}).
 */
@Configuration(proxyBeanMethods = false)
public class EventsConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(EventsConfiguration.class);
    @Bean
    EventPublisher eventPublisher(EventsProperties settings, MeterRegistry registry) {
        LOG.info("events to Kafka at {}: {} (buffer of {} events; topics {}, {})", settings.bootstrapServers(),
                settings.enabled() ? "enabled" : "disabled", settings.bufferSize(), settings.topics().interactions(),
                settings.topics().feedback());
        return new EventPublisher(settings, settings.enabled() ? template(settings) : null, registry);
    }

    @Bean
    FeedbackController feedbackController(EventPublisher eventPublisher, ObjectProvider<OpenAiJson> json,
                                          EventsProperties settings) {
        return new FeedbackController(eventPublisher, json.getIfAvailable(OpenAiJson::new),
                settings.maxCorrectionChars());
    }

    /** An idempotent producer (acks=all) that gives up on a record after 30 s; the publisher resends it. */
    static KafkaTemplate<String, byte[]> template(EventsProperties settings) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
        return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(config));
    }
}
