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
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The router's event beans: {@code eventPublisher} ({@link EventPublisher}) and the {@code POST /v1/feedback}
 * controller. Settings come from an {@link EventsProperties} bean when one exists (the router's properties record
 * exposes its nested {@code events}), else are bound from {@code dragon.router.events.*} directly.
 */
@Configuration(proxyBeanMethods = false)
public class EventsConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(EventsConfiguration.class);
    private static final String PREFIX = "dragon.router.events";

    static EventsProperties settings(ObjectProvider<EventsProperties> provided, Environment environment) {
        return provided.getIfAvailable(() -> Binder.get(environment).bindOrCreate(PREFIX, EventsProperties.class));
    }

    @Bean
    EventPublisher eventPublisher(ObjectProvider<EventsProperties> provided, Environment environment,
                                  MeterRegistry registry) {
        EventsProperties settings = settings(provided, environment);
        LOG.info("events to Kafka at {}: {} (buffer of {} events; topics {}, {})", settings.bootstrapServers(),
                settings.enabled() ? "enabled" : "disabled", settings.bufferSize(), settings.topics().interactions(),
                settings.topics().feedback());
        return new EventPublisher(settings, settings.enabled() ? template(settings) : null, registry);
    }

    @Bean
    FeedbackController feedbackController(EventPublisher eventPublisher, ObjectProvider<OpenAiJson> json,
                                          ObjectProvider<EventsProperties> provided, Environment environment) {
        return new FeedbackController(eventPublisher, json.getIfAvailable(OpenAiJson::new),
                settings(provided, environment).maxCorrectionChars());
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
