package dev.dragon.router.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dragon.contracts.events.InteractionEvent;
import dev.dragon.router.events.KafkaTestBroker;
import dev.dragon.router.testing.ApiClient;
import dev.dragon.router.testing.RawStream;
import dev.dragon.router.warmup.RouterWarmUp;
import dev.dragon.support.web.DragonHeaders;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every completed request, whole or streamed, publishes one InteractionEvent (key: the response id) to the
 * interactions topic of a real Kafka broker (in-process KRaft), carrying the request id, tenant, versions and
 * token ids; a request the client abandons publishes none, nor does the router's own warm-up.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class InteractionEventsIT {

    private static final String TOPIC = "dragon.interactions.it-" + UUID.randomUUID();
    private static final Duration WAIT = Duration.ofMinutes(2);

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        registry.add("dragon.router.events.enabled", () -> "true");
        registry.add("dragon.router.events.bootstrap-servers", () -> KafkaTestBroker.shared().getBrokersAsString());
        registry.add("dragon.router.events.topics.interactions", () -> TOPIC);
        registry.add("dragon.router.cache.enabled", () -> "false");
        registry.add("dragon.router.warm-up.enabled", () -> "true");     // ran before the context was handed over
        registry.add("dragon.router.warm-up.rounds", () -> "1");
    }

    @LocalServerPort int port;

    private ApiClient api;
    private Consumer<String, byte[]> consumer;
    private final Map<String, InteractionEvent> seen = new HashMap<>();

    @BeforeEach
    void subscribe() {
        api = new ApiClient(port);
        Map<String, Object> props = KafkaTestUtils.consumerProps(KafkaTestBroker.shared().getBrokersAsString(),
                "it-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer = new DefaultKafkaConsumerFactory<>(props, new StringDeserializer(), new ByteArrayDeserializer())
                .createConsumer();
        consumer.subscribe(List.of(TOPIC));
    }

    @AfterEach
    void close() {
        consumer.close();
    }

    /** Polls until the event of {@code responseId} arrived. */
    private InteractionEvent awaitEvent(String responseId) {
        await().atMost(WAIT).until(() -> {
            consumer.poll(Duration.ofMillis(500)).forEach(r ->
                    seen.put(r.key(), JsonMapper.shared().readValue(r.value(), InteractionEvent.class)));
            return seen.containsKey(responseId);
        });
        return seen.get(responseId);
    }

    @Test
    void aCompletedRequest_publishesItsInteraction() {
        HttpResponse<String> r = api.post("/v1/chat/completions", api.write(Map.of("model", "dragon-moe-mini",
                "temperature", 0, "max_tokens", 5, "dragon", Map.of("ignore_eos", true),
                "messages", List.of(Map.of("role", "user", "content", "Say something.")))),
                DragonHeaders.TENANT, "acme");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = api.json(r.body());

        InteractionEvent event = awaitEvent(body.path("id").asString());

        assertThat(event.schemaVersion()).isEqualTo(InteractionEvent.SCHEMA_VERSION);
        assertThat(event.requestId()).isEqualTo(r.headers().firstValue(DragonHeaders.REQUEST_ID).orElseThrow());
        assertThat(event.tenant()).isEqualTo("acme");
        assertThat(event.modelVersion()).isEqualTo(r.headers().firstValue(DragonHeaders.MODEL_VERSION).orElseThrow());
        assertThat(event.adapterVersion()).isEqualTo(r.headers().firstValue(DragonHeaders.ADAPTER_VERSION).orElseThrow());
        assertThat(event.promptTokens()).hasSize(body.path("usage").path("prompt_tokens").asInt());
        assertThat(event.completionTokens()).hasSize(5);
        assertThat(event.experts()).isNull();
        assertThat(event.latencyMs()).isNotNegative();
    }

    @Test
    void theRoutersOwnWarmUp_ranBeforeItWasReady_andPublishedNoInteraction() {
        String metrics = api.get("/actuator/prometheus").body();
        HttpResponse<String> r = api.post("/v1/chat/completions", api.write(Map.of("model", "dragon-moe-mini",
                "max_tokens", 2, "messages", List.of(Map.of("role", "user", "content", "After the warm-up.")))));

        awaitEvent(api.json(r.body()).path("id").asString());

        assertThat(metrics).containsPattern("dragon_warmup_requests_total\\{[^}]*result=\"answered\"[^}]*\\} 4\\.0");
        assertThat(seen.values()).extracting(InteractionEvent::tenant).doesNotContain(RouterWarmUp.TENANT).isNotEmpty();
    }

    @Test
    void anAbandonedStream_publishesNothing_whileTheNextRequestDoes() {
        String abandoned;
        try (RawStream stream = RawStream.post(port, "/v1/completions", api.write(Map.of("model", "dragon-moe-mini",
                "prompt", "Once upon a time", "max_tokens", 4000, "stream", true, "dragon", Map.of("ignore_eos", true))))) {
            String received = stream.awaitFrames(2);
            int at = received.indexOf("\"id\":\"") + 6;
            abandoned = received.substring(at, received.indexOf('"', at));
        }
        HttpResponse<String> streamed = api.post("/v1/completions", api.write(Map.of("model", "dragon-moe-mini",
                "prompt", "Once upon a time", "max_tokens", 3, "stream", true, "dragon", Map.of("return_experts", true))));
        String next = api.json(ApiClient.sseFrames(streamed.body()).getFirst()).path("id").asString();

        InteractionEvent event = awaitEvent(next);

        assertThat(abandoned).startsWith("cmpl-");
        assertThat(seen).doesNotContainKey(abandoned);
        assertThat(event.experts().length).isEqualTo(event.completionTokens().length);
    }
}
