package dev.dragon.learning.config;

import dev.dragon.contracts.events.AdapterSignatures;
import dev.dragon.contracts.events.AdapterVerifier;
import dev.dragon.learning.ingest.EventCodec;
import dev.dragon.learning.ingest.ExampleBuilder;
import dev.dragon.learning.ingest.ExamplePool;
import dev.dragon.learning.ingest.FeedbackJoiner;
import dev.dragon.learning.ingest.OffsetTracker;
import dev.dragon.learning.ingest.RecordIngestor;
import dev.dragon.learning.metrics.LearnerMetrics;
import dev.dragon.learning.model.ModelHost;
import dev.dragon.learning.rollout.AdapterLog;
import dev.dragon.learning.rollout.AdapterReleases;
import dev.dragon.learning.rollout.LearnerLoop;
import dev.dragon.learning.rollout.LearnerSetup;
import dev.dragon.learning.rollout.TransactionalPublisher;
import dev.dragon.learning.rollout.UpdateRunner;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Kafka clients of the learner (Spring Kafka factories, configured from {@link LearningProperties}: one
 * transactional idempotent producer, {@code read_committed} consumers with no auto-commit) and the loop
 * that uses them.
 */
@Configuration(proxyBeanMethods = false)
public class KafkaConfiguration {

    /** The adapter key of local development; a deployment sets {@code DRAGON_ADAPTER_SIGNING_KEY}. */
    static final String DEV_SIGNING_KEY = "local-dev-only-signing-key";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaConfiguration.class);

    @Bean
    AdapterSignatures adapterSignatures(LearningProperties props) {
        if (DEV_SIGNING_KEY.equals(props.signingKey())) {
            LOG.warn("signing adapter versions with the local development key; set DRAGON_ADAPTER_SIGNING_KEY");
        }
        return new AdapterSignatures(props.signingKey());
    }

    @Bean
    AdapterReleases adapterReleases(AdapterSignatures signatures, ModelHost host) {
        return new AdapterReleases(signatures, host.modelName(), host.modelVersion());
    }

    @Bean
    KafkaAdmin learnerKafkaAdmin(LearningProperties props) {
        KafkaAdmin admin = new KafkaAdmin(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                props.kafka().bootstrapServers()));
        admin.setAutoCreate(false);           // the learner creates its topics when it starts consuming
        return admin;
    }

    @Bean
    KafkaTemplate<String, byte[]> learnerKafkaTemplate(LearningProperties props) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, props.kafka().bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, LearnerSetup.MAX_ADAPTER_RECORD_BYTES);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        DefaultKafkaProducerFactory<String, byte[]> factory = new DefaultKafkaProducerFactory<>(config);
        factory.setTransactionIdPrefix(props.kafka().transactionalId());
        return new KafkaTemplate<>(factory);
    }

    /** The learner's consumer: its group's committed offsets are where a restart resumes. */
    @Bean
    ConsumerFactory<String, byte[]> learnerConsumerFactory(LearningProperties props) {
        Map<String, Object> config = consumerConfig(props);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, props.kafka().groupId());
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        return new DefaultKafkaConsumerFactory<>(config);
    }

    @Bean
    AdapterLog adapterLog(LearningProperties props, AdapterSignatures signatures, ModelHost host, EventCodec codec) {
        Map<String, Object> config = consumerConfig(props);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, LearnerSetup.MAX_ADAPTER_RECORD_BYTES);
        var arch = host.architecture();
        AdapterVerifier verifier = new AdapterVerifier(signatures, arch.pcHidden(), arch.dModel(), host.modelName(),
                host.modelVersion());
        return new AdapterLog(new DefaultKafkaConsumerFactory<>(config), props.kafka().topics().adapters(), verifier,
                codec, host.baseWeights(), Duration.ofSeconds(30));
    }

    @Bean
    TransactionalPublisher transactionalPublisher(KafkaTemplate<String, byte[]> learnerKafkaTemplate,
                                                  EventCodec codec, LearningProperties props) {
        var topics = props.kafka().topics();
        return new TransactionalPublisher(learnerKafkaTemplate, codec, topics.adapters(), topics.decisions());
    }

    @Bean
    LearnerLoop learnerLoop(LearningProperties props, KafkaAdmin learnerKafkaAdmin,
                            ConsumerFactory<String, byte[]> learnerConsumerFactory, AdapterLog log,
                            TransactionalPublisher publisher, UpdateRunner updates, ExampleBuilder builder,
                            EventCodec codec, AdapterReleases releases, LearnerMetrics metrics) {
        var e = props.examples();
        var j = props.join();
        return new LearnerLoop(new LearnerSetup(props, learnerKafkaAdmin), learnerConsumerFactory, log, publisher,
                updates, () -> {
                    OffsetTracker offsets = new OffsetTracker();
                    return new RecordIngestor(props.kafka().topics().interactions(), codec, builder, metrics, offsets,
                            new FeedbackJoiner(j.window(), j.feedbackWait(), j.maxInteractions(), offsets),
                            new ExamplePool(e.holdoutEvery(), e.holdoutSize(), e.minHoldout(), e.maxTenantShare(),
                                    e.maxPendingPerTenant()));
                }, releases, metrics);
    }

    private static Map<String, Object> consumerConfig(LearningProperties props) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, props.kafka().bootstrapServers());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return config;
    }
}
