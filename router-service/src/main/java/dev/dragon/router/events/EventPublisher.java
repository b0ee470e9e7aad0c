package dev.dragon.router.events;

import dev.dragon.contracts.events.FeedbackEvent;
import dev.dragon.contracts.events.InteractionEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes interaction and feedback events without ever blocking or failing the caller.
 *
 * <p>{@link #publishInteraction} and {@link #publishFeedback} serialise the event and offer it to a bounded
 * in-memory buffer ({@code buffer-size}); when the buffer is full the event is dropped, counted
 * ({@code dragon_events_dropped_total{topic}}) and logged at most once per {@code log-interval}. One background
 * sender drains the buffer into Kafka through an idempotent {@link KafkaTemplate} and keeps resending what Kafka
 * did not acknowledge, so while Kafka is away events wait (up to the buffer size) and go out when it returns;
 * each acknowledged event counts in {@code dragon_events_published_total{topic}}.
 */
public final class EventPublisher implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);
    private static final int BATCH = 256;

    private record Pending(String topic, String key, byte[] value) {
    }

    private final EventsProperties props;
    private final KafkaTemplate<String, byte[]> template;
    private final JsonMapper json = JsonMapper.builder().build();
    private final ArrayBlockingQueue<Pending> buffer;
    private final Map<String, Counter> published;
    private final Map<String, Counter> dropped;
    private final RateLimitedLog dropLog;
    private final RateLimitedLog sendLog;
    private volatile boolean running;
    private final AtomicInteger backlog = new AtomicInteger();
    private Thread sender;

    /** @param template the producer, or null when {@code enabled} is false */
    public EventPublisher(EventsProperties props, KafkaTemplate<String, byte[]> template, MeterRegistry registry) {
        this.props = props;
        this.template = template;
        this.buffer = new ArrayBlockingQueue<>(props.bufferSize());
        String interactions = props.topics().interactions();
        String feedback = props.topics().feedback();
        this.published = Map.of(interactions, counter(registry, "dragon.events.published", interactions, "Kafka events sent"),
                feedback, counter(registry, "dragon.events.published", feedback, "Kafka events sent"));
        this.dropped = Map.of(interactions, counter(registry, "dragon.events.dropped", interactions,
                        "events dropped because the bounded buffer was full"),
                feedback, counter(registry, "dragon.events.dropped", feedback,
                        "events dropped because the bounded buffer was full"));
        Gauge.builder("dragon.events.buffered", buffer, ArrayBlockingQueue::size)
                .description("events waiting in the buffer for Kafka").register(registry);
        this.dropLog = new RateLimitedLog(props.logInterval());
        this.sendLog = new RateLimitedLog(props.logInterval());
    }

    private static Counter counter(MeterRegistry registry, String name, String topic, String description) {
        return Counter.builder(name).tag("topic", topic).description(description).register(registry);
    }

    /** Queues one finished request's event; false when it was dropped (buffer full, or events disabled). */
    public boolean publishInteraction(InteractionEvent event) {
        return offer(props.topics().interactions(), event.responseId(), event);
    }

    /** Queues one feedback event; false when it was dropped (buffer full, or events disabled). */
    public boolean publishFeedback(FeedbackEvent event) {
        return offer(props.topics().feedback(), event.responseId(), event);
    }

    /** Events accepted and not yet acknowledged by Kafka (buffered or being sent). */
    public int backlog() {
        return backlog.get();
    }

    private boolean offer(String topic, String key, Object event) {
        byte[] value;
        try {
            value = json.writeValueAsBytes(event);
        } catch (RuntimeException e) {
            LOG.warn("cannot serialise an event for {}: {}", topic, e.toString());
            return drop(topic, "it cannot be serialised");
        }
        if (!props.enabled()) {
            return drop(topic, "events are disabled (dragon.router.events.enabled=false)");
        }
        if (buffer.offer(new Pending(topic, key, value))) {
            backlog.incrementAndGet();
            return true;
        }
        return drop(topic, "the buffer of " + props.bufferSize() + " events is full (Kafka slow or away)");
    }

    private boolean drop(String topic, String why) {
        dropped.get(topic).increment();
        dropLog.occurred(suppressed -> LOG.warn("dropped an event for {}: {} ({} more dropped since the last line)",
                topic, why, suppressed));
        return false;
    }

    @Override
    public void start() {
        running = true;
        if (props.enabled()) {
            sender = Thread.ofPlatform().name("dragon-events").daemon().start(this::drain);
        }
    }

    @Override
    public void stop() {
        running = false;
        if (sender != null) {
            try {
                sender.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Sender loop: take a batch, send it, resend what failed until it is taken; on stop, one last flush. */
    private void drain() {
        List<Pending> batch = new ArrayList<>(BATCH);
        while (running || !buffer.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    Pending first = buffer.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    buffer.drainTo(batch, BATCH - 1);
                }
                batch = send(batch);
                if (!batch.isEmpty()) {
                    if (!running) {
                        LOG.warn("stopping with {} events Kafka did not take", batch.size() + buffer.size());
                        return;
                    }
                    Thread.sleep(props.retryBackoff());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Sends {@code batch}; returns the events that were not acknowledged. */
    private List<Pending> send(List<Pending> batch) {
        List<CompletableFuture<?>> futures = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            try {
                futures.add(template.send(new ProducerRecord<>(p.topic(), p.key(), p.value())));
            } catch (RuntimeException e) {
                futures.add(CompletableFuture.failedFuture(e));
            }
        }
        List<Pending> failed = new ArrayList<>();
        Throwable cause = null;
        for (int i = 0; i < batch.size(); i++) {
            try {
                futures.get(i).get(60, TimeUnit.SECONDS);
                published.get(batch.get(i).topic()).increment();
                backlog.decrementAndGet();
            } catch (Exception e) {
                failed.add(batch.get(i));
                cause = e;
            }
        }
        if (cause != null) {
            Throwable c = cause;
            sendLog.occurred(suppressed -> LOG.warn("Kafka did not take {} events ({}); they stay buffered and are "
                    + "resent", failed.size(), c.toString()));
        }
        return failed;
    }
}
