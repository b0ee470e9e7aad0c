package dev.dragon.router.adapters;

import dev.dragon.contracts.events.AdapterControlEvent;
import dev.dragon.contracts.events.AdapterRejectedException;
import dev.dragon.contracts.events.AdapterVerifier;
import dev.dragon.contracts.events.AdapterVersionEvent;
import dev.dragon.contracts.events.EventTopics;
import dev.dragon.core.adapter.PcAdapter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Follows {@code dragon.adapters} from its beginning ({@code read_committed}, no consumer group: every router
 * reads the whole compacted log, so one that starts later catches up) and keeps the engine on the live version:
 * the pinned one while a pin is in force, else the newest valid one.
 *
 * <p>Every version is verified before use ({@link AdapterVerifier}: signature with the shared key, shape, base
 * model, weight checksum); a refused one is counted in {@code dragon_adapter_rejected_total{reason}} and logged,
 * and the router stays on what it serves. A new live version goes to the engine through {@code target}
 * ({@code LocalEngine::setAdapter}: requests admitted from then on use it, running ones finish on theirs),
 * counted in {@code dragon_adapter_swaps_total} and shown by {@code dragon_adapter_version}. During the initial
 * catch-up nothing is swapped until the end of the log is reached, so a router jumps straight to the live version.
 */
public final class AdapterSubscriber implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(AdapterSubscriber.class);

    private final AdaptersProperties props;
    private final ConsumerFactory<String, byte[]> consumers;
    private final AdapterVerifier verifier;
    private final Consumer<PcAdapter> target;
    private final PcAdapter base;
    private final AdapterMetrics metrics;
    private final JsonMapper json = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private final TreeMap<Long, PcAdapter> retained = new TreeMap<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile PcAdapter live;
    private volatile boolean running;
    private Long pinned;
    private volatile long newest;
    private Long rescannedFor;
    private Thread thread;
    private org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer;

    /**
     * @param target receives each new live version (the engine's {@code setAdapter})
     * @param base   the bundle's own layer (version 0), served until a version is published
     */
    public AdapterSubscriber(AdaptersProperties props, ConsumerFactory<String, byte[]> consumers,
                             AdapterVerifier verifier, Consumer<PcAdapter> target, PcAdapter base,
                             AdapterMetrics metrics) {
        this.props = props;
        this.consumers = consumers;
        this.verifier = verifier;
        this.target = target;
        this.base = base;
        this.metrics = metrics;
        this.live = base;
    }

    /** The version the engine serves to new requests. */
    public PcAdapter live() {
        return live;
    }

    /** {@link #live()}'s version number (0 = the bundle's own layer). */
    public long liveVersion() {
        return Long.parseLong(live.version());
    }

    /** The newest valid version read so far (0 when none): live unless a pin holds the router elsewhere. */
    public long newestVersion() {
        return newest;
    }

    /** Whether the log was read to its end once since startup. */
    public boolean caughtUp() {
        return caughtUp.getCount() == 0;
    }

    /** Waits until the log was read to its end once; false on timeout. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void start() {
        if (!props.enabled()) {
            LOG.info("adapter versions disabled: serving the bundle's PC layer (version 0)");
            return;
        }
        running = true;
        thread = Thread.ofPlatform().name("dragon-adapters").daemon().start(this::run);
    }

    @Override
    public void stop() {
        running = false;
        var c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        try (var c = consumers.createConsumer()) {
            consumer = c;
            List<TopicPartition> partitions = awaitPartitions(c);
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            while (running) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    handle(r);
                }
                if (!caughtUp() && partitions.stream().allMatch(p -> c.position(p) >= end.get(p))) {
                    caughtUp.countDown();
                    LOG.info("read {} to its end: newest version {}, pinned {}", props.topic(), newest, pinned);
                }
                if (caughtUp()) {
                    applyLive(c, partitions);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("adapter subscription woken up unexpectedly", e);
            }
        } catch (RuntimeException e) {
            LOG.error("adapter subscription stopped; the router stays on version {}", live.version(), e);
        } finally {
            consumer = null;
        }
    }

    private List<TopicPartition> awaitPartitions(org.apache.kafka.clients.consumer.Consumer<String, byte[]> c) {
        while (running) {
            var infos = c.partitionsFor(props.topic(), Duration.ofSeconds(10));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(i -> new TopicPartition(props.topic(), i.partition())).toList();
            }
            LOG.info("topic {} does not exist yet; serving version {} and looking again in {}", props.topic(),
                    live.version(), props.retryBackoff());
            try {
                Thread.sleep(props.retryBackoff());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WakeupException();
            }
        }
        throw new WakeupException();
    }

    private void handle(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return;                                                  // a tombstone: nothing to serve
        }
        long version = EventTopics.versionOfKey(r.key());
        try {
            if (version > 0) {
                AdapterVerifier.Verified v = verifier.verify(json.readValue(r.value(), AdapterVersionEvent.class));
                if (v.version() != version) {
                    throw new AdapterRejectedException(AdapterRejectedException.Reason.MALFORMED,
                            "record key " + r.key() + " holds version " + v.version());
                }
                retain(PcAdapter.of(Long.toString(version), Long.toString(v.event().parent()), v.event().pcHidden(),
                        v.event().dModel(), v.w1(), v.w2()));
                newest = Math.max(newest, version);
            } else if (EventTopics.CONTROL_KEY.equals(r.key())) {
                AdapterControlEvent c = verifier.verify(json.readValue(r.value(), AdapterControlEvent.class));
                pinned = c.action() == AdapterControlEvent.Action.PIN ? c.version() : null;
                LOG.info("adapter {} (offset {})", pinned == null ? "unpinned" : "pinned to version " + pinned,
                        r.offset());
            }
        } catch (AdapterRejectedException e) {
            metrics.rejected(e.reason());
            LOG.warn("refused adapter record {} at offset {}: {}", r.key(), r.offset(), e.getMessage());
        } catch (JacksonException e) {
            metrics.rejected(AdapterRejectedException.Reason.MALFORMED);
            LOG.warn("refused adapter record {} at offset {}: not JSON of its kind ({})", r.key(), r.offset(),
                    e.getOriginalMessage());
        }
    }

    private void retain(PcAdapter adapter) {
        retained.put(Long.parseLong(adapter.version()), adapter);
        while (retained.size() > props.retainedVersions()) {
            Long oldest = retained.firstKey();
            if (oldest.equals(pinned)) {
                oldest = retained.higherKey(oldest);
            }
            retained.remove(oldest);
        }
    }

    /** Makes the live version current in the engine when it changed. */
    private void applyLive(org.apache.kafka.clients.consumer.Consumer<String, byte[]> c, List<TopicPartition> parts) {
        long wanted = pinned != null ? pinned : newest;
        if (Long.toString(wanted).equals(live.version())) {
            return;
        }
        PcAdapter next = wanted == 0 ? base : retained.get(wanted);
        if (next == null) {
            if (!Long.valueOf(wanted).equals(rescannedFor)) {
                rescannedFor = wanted;
                LOG.info("pinned version {} is not in memory; reading {} again to find it", wanted, props.topic());
                c.seekToBeginning(parts);
            } else {
                LOG.warn("pinned version {} is not a valid version on {}; staying on version {}", wanted,
                        props.topic(), live.version());
            }
            return;
        }
        target.accept(next);
        PcAdapter previous = live;
        live = next;
        metrics.swapped(wanted);
        LOG.info("serving PC adapter version {} (was {}): {}", wanted, previous.version(), next);
    }
}
