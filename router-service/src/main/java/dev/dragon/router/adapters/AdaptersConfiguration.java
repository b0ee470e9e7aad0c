package dev.dragon.router.adapters;

import dev.dragon.contracts.events.AdapterSignatures;
import dev.dragon.contracts.events.AdapterVerifier;
import dev.dragon.core.bundle.ModelBundle;
import dev.dragon.core.engine.LocalEngine;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;

/**
 * The {@code adapterSubscriber} bean: follows {@code dragon.adapters} and swaps the live version into the
 * router's {@link LocalEngine}, configured by the {@link AdaptersProperties} bean (the router's properties record
 * exposes its nested {@code adapters}).
 */
@Configuration(proxyBeanMethods = false)
public class AdaptersConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(AdaptersConfiguration.class);
    private static final String DEV_SIGNING_KEY = "local-dev-only-signing-key";

    @Bean
    AdapterSubscriber adapterSubscriber(AdaptersProperties settings, ModelBundle bundle, LocalEngine engine,
                                        MeterRegistry registry) {
        if (settings.enabled() && DEV_SIGNING_KEY.equals(settings.signingKey())) {
            LOG.warn("verifying adapter versions with the local development key; set dragon.router.adapters.signing-key");
        }
        return subscriber(settings, bundle, engine, registry);
    }

    /** A subscriber over {@code engine} (also what tests build). */
    public static AdapterSubscriber subscriber(AdaptersProperties settings, ModelBundle bundle, LocalEngine engine,
                                               MeterRegistry registry) {
        var arch = bundle.architecture();
        AdapterVerifier verifier = new AdapterVerifier(new AdapterSignatures(settings.signingKey()), arch.pcHidden(),
                arch.dModel(), bundle.manifest().name(), bundle.manifest().version());
        return new AdapterSubscriber(settings, consumers(settings), verifier, engine::setAdapter,
                engine.model().baseAdapter(), new AdapterMetrics(registry));
    }

    static DefaultKafkaConsumerFactory<String, byte[]> consumers(AdaptersProperties settings) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
        return new DefaultKafkaConsumerFactory<>(config);
    }
}
