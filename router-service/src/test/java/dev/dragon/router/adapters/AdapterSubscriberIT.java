package dev.dragon.router.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dragon.contracts.events.AdapterControlEvent;
import dev.dragon.contracts.events.AdapterSignatures;
import dev.dragon.contracts.events.AdapterVersionEvent;
import dev.dragon.contracts.events.AdapterWeights;
import dev.dragon.contracts.events.EventTopics;
import dev.dragon.core.engine.Completion;
import dev.dragon.core.engine.EngineObserver;
import dev.dragon.core.engine.EngineOptions;
import dev.dragon.core.engine.GenerationHandle;
import dev.dragon.core.engine.GenerationRequest;
import dev.dragon.core.engine.LocalEngine;
import dev.dragon.core.engine.TokenSink;
import dev.dragon.core.runtime.RuntimeOptions;
import dev.dragon.core.sampling.SamplingParams;
import dev.dragon.router.events.KafkaTestBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The router side of adapter rollout against a real KRaft broker and a real {@link LocalEngine} over the shipped
 * bundle: versions published on the topic become live without a restart, a late router catches up, bad records
 * are refused, pins are honoured.
 */
class AdapterSubscriberIT {

    private static final String KEY = "router-test-signing-key-0123";
    private static final AdapterSignatures SIGNER = new AdapterSignatures(KEY);

    private static LocalEngine engine;
    private static Producer<String, byte[]> producer;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<AdapterSubscriber> subscribers = new ArrayList<>();
    private final String topic = "dragon.adapters." + UUID.randomUUID();

    @BeforeAll
    static void start() {
        engine = LocalEngine.open(Path.of("..", "models", "dragon-moe-mini"), new EngineOptions(4, 16, 256),
                new RuntimeOptions(2, false), null, EngineObserver.NONE);
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.shared().getBrokersAsString());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
        producer = new DefaultKafkaProducerFactory<String, byte[]>(config).createProducer();
    }

    @AfterAll
    static void stop() {
        producer.close();
        engine.close();
    }

    @AfterEach
    void stopSubscribers() {
        subscribers.forEach(AdapterSubscriber::stop);
        engine.setAdapter(engine.model().baseAdapter());
    }

    @Test
    void aRouterStartingLate_catchesUpStraightToTheNewestVersion() throws Exception {
        for (long v = 1; v <= 3; v++) {
            publish(version(v, v - 1));
        }

        AdapterSubscriber subscriber = subscribe(4);

        assertThat(subscriber.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> subscriber.liveVersion() == 3);
        assertThat(engine.adapter().version()).isEqualTo("3");
        assertThat(engine.adapter().checksum()).isEqualTo(subscriber.live().checksum());
        assertThat(registry.get("dragon.adapter.swaps").counter().count()).isEqualTo(1);
        assertThat(registry.get("dragon.adapter.version").gauge().value()).isEqualTo(3);
    }

    @Test
    void aNewVersion_isServedWithoutRestart_whileARunningRequestKeepsItsOwn() throws Exception {
        publish(version(1, 0));
        AdapterSubscriber subscriber = subscribe(4);
        await().atMost(Duration.ofSeconds(60)).until(() -> subscriber.liveVersion() == 1);
        GenerationHandle running = generate(120);

        publish(version(2, 1));

        await().atMost(Duration.ofSeconds(30)).until(() -> subscriber.liveVersion() == 2);
        Completion after = generate(4).completion().get(60, TimeUnit.SECONDS);
        assertThat(after.adapterVersion()).isEqualTo("2");
        assertThat(running.completion().get(120, TimeUnit.SECONDS).adapterVersion()).isEqualTo("1");
    }

    @Test
    void corruptedUnsignedAndMisshapenVersions_areRefusedAndCounted_andTheRouterStaysPut() throws Exception {
        publish(version(1, 0));
        AdapterVersionEvent good = version(2, 1);
        float[] w2 = AdapterWeights.decode(good.w2(), good.dModel() * good.pcHidden());
        w2[0] += 1;
        publish(withWeights(good, good.w1(), AdapterWeights.encode(w2)));                          // checksum
        publish(new AdapterSignatures("some-other-learner-key-000").signedVersion(2, 1, null, good.model(),
                good.modelVersion(), 1L, good.pcHidden(), good.dModel(), random(good.pcHidden() * good.dModel(), 1),
                random(good.pcHidden() * good.dModel(), 2), "predictive-coding", null));                  // signature
        publish(SIGNER.signedVersion(2, 1, null, good.model(), good.modelVersion(), 1L, good.pcHidden() / 2,
                good.dModel(), random(good.pcHidden() / 2 * good.dModel(), 1),
                random(good.pcHidden() / 2 * good.dModel(), 2), "predictive-coding", null));              // shape
        producer.send(new ProducerRecord<>(topic, EventTopics.versionKey(2),
                "{not json".getBytes(StandardCharsets.UTF_8))).get();                                      // malformed

        AdapterSubscriber subscriber = subscribe(4);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(rejected("checksum")).isEqualTo(1);
            assertThat(rejected("signature")).isEqualTo(1);
            assertThat(rejected("shape")).isEqualTo(1);
            assertThat(rejected("malformed")).isEqualTo(1);
        });
        assertThat(subscriber.liveVersion()).isEqualTo(1);
        assertThat(engine.adapter().version()).isEqualTo("1");
    }

    @Test
    void aPinHoldsTheRouterOnItsVersion_evenOneNoLongerInMemory_untilUnpinned() throws Exception {
        for (long v = 1; v <= 4; v++) {
            publish(version(v, v - 1));
        }
        AdapterSubscriber subscriber = subscribe(2);
        await().atMost(Duration.ofSeconds(60)).until(() -> subscriber.liveVersion() == 4);

        publishControl(SIGNER.signedControl(AdapterControlEvent.Action.PIN, 1, 10L));
        await().atMost(Duration.ofSeconds(60)).until(() -> subscriber.liveVersion() == 1);
        publish(version(5, 4));
        await().atMost(Duration.ofSeconds(30)).until(() -> subscriber.newestVersion() == 5);
        assertThat(subscriber.liveVersion()).isEqualTo(1);

        publishControl(new AdapterControlEvent(1, AdapterControlEvent.Action.UNPIN, 0, 11L, "0".repeat(64)));
        await().atMost(Duration.ofSeconds(30)).until(() -> rejected("signature") == 1);
        assertThat(subscriber.liveVersion()).as("an unsigned unpin is ignored").isEqualTo(1);

        publishControl(SIGNER.signedControl(AdapterControlEvent.Action.UNPIN, 0, 12L));
        await().atMost(Duration.ofSeconds(30)).until(() -> subscriber.liveVersion() == 5);
        assertThat(engine.adapter().version()).isEqualTo("5");
    }

    private AdapterSubscriber subscribe(int retained) {
        AdaptersProperties props = new AdaptersProperties(true, KafkaTestBroker.shared().getBrokersAsString(), topic,
                KEY, retained, Duration.ofMillis(200));
        AdapterSubscriber s = AdaptersConfiguration.subscriber(props, engine.model().bundle(), engine, registry);
        s.start();
        subscribers.add(s);
        return s;
    }

    private GenerationHandle generate(int tokens) {
        int[] prompt = engine.model().tokenizer().chatTemplate().completionPrompt("Once upon a time");
        return engine.submit(new GenerationRequest("r-" + UUID.randomUUID(), prompt, new int[0],
                SamplingParams.builder().temperature(0).maxTokens(tokens).build(), false, new TokenSink() {
                    @Override
                    public void onToken(dev.dragon.core.engine.GeneratedToken token) {
                    }

                    @Override
                    public void onFinish(Completion completion) {
                    }

                    @Override
                    public void onError(dev.dragon.core.engine.EngineException error) {
                    }
                }));
    }

    private double rejected(String reason) {
        return registry.get("dragon.adapter.rejected").tag("reason", reason).counter().count();
    }

    private AdapterVersionEvent version(long v, long parent) {
        var arch = engine.model().architecture();
        int n = arch.pcHidden() * arch.dModel();
        float[] w2 = random(n, v);
        for (int i = 0; i < n; i++) {
            w2[i] *= 0.01f;
        }
        return SIGNER.signedVersion(v, parent, null, engine.model().bundle().manifest().name(),
                engine.model().bundle().manifest().version(), System.currentTimeMillis(), arch.pcHidden(),
                arch.dModel(), engine.model().baseAdapter().w1Array(), w2, "predictive-coding", null);
    }

    private static AdapterVersionEvent withWeights(AdapterVersionEvent e, String w1, String w2) {
        return new AdapterVersionEvent(e.schemaVersion(), e.version(), e.parent(), e.rollbackOf(), e.model(),
                e.modelVersion(), e.createdAtMs(), e.pcHidden(), e.dModel(), w1, w2, e.checksum(), e.signature(),
                e.method(), e.gate());
    }

    private void publish(AdapterVersionEvent e) throws Exception {
        producer.send(new ProducerRecord<>(topic, EventTopics.versionKey(e.version()),
                JsonMapper.shared().writeValueAsBytes(e))).get(30, TimeUnit.SECONDS);
    }

    private void publishControl(AdapterControlEvent e) throws Exception {
        producer.send(new ProducerRecord<>(topic, EventTopics.CONTROL_KEY, JsonMapper.shared().writeValueAsBytes(e)))
                .get(30, TimeUnit.SECONDS);
    }

    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) r.nextGaussian();
        }
        return out;
    }
}
