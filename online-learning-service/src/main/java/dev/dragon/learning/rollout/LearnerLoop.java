package dev.dragon.learning.rollout;

import dev.dragon.contracts.events.AdapterVersionEvent;
import dev.dragon.contracts.events.CandidateDecisionEvent;
import dev.dragon.contracts.events.CandidateDecisionEvent.Outcome;
import dev.dragon.learning.ingest.Example;
import dev.dragon.learning.ingest.ExamplePool;
import dev.dragon.learning.ingest.OffsetTracker;
import dev.dragon.learning.ingest.RecordIngestor;
import dev.dragon.learning.metrics.LearnerMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;

/**
 * The learner: one thread that reads interactions and feedback ({@code read_committed}), builds examples, runs an
 * update when enough wait, and commits each decision — the promoted version, the decision record and the
 * consumer offsets — in one Kafka transaction ({@link TransactionalPublisher}). Admin actions run on the same
 * thread between polls, so versions are numbered by a single writer: the newest version on
 * {@code dragon.adapters} plus one, gap-free and duplicate-free across restarts.
 *
 * <p>After any Kafka failure the loop resynchronises from Kafka, the source of truth: it re-reads the adapter log
 * and rewinds the consumer to the committed offsets, dropping everything in memory. A crash is the same thing
 * with a new process.
 */
public final class LearnerLoop implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(LearnerLoop.class);

    private final LearnerSetup setup;
    private final ConsumerFactory<String, byte[]> consumers;
    private final AdapterLog log;
    private final TransactionalPublisher publisher;
    private final UpdateRunner updates;
    private final Supplier<RecordIngestor> ingestors;
    private final AdapterReleases releases;
    private final LearnerMetrics metrics;
    private final LinkedBlockingQueue<Runnable> commands = new LinkedBlockingQueue<>();
    private volatile AdapterHistory history;
    private volatile boolean running;
    private volatile boolean ready;
    private volatile String failure;
    private Thread thread;
    private Consumer<String, byte[]> consumer;
    private List<TopicPartition> partitions = List.of();
    private RecordIngestor ingestor;
    private Map<TopicPartition, OffsetAndMetadata> committed = Map.of();
    private long lastCommitNanos;

    public LearnerLoop(LearnerSetup setup, ConsumerFactory<String, byte[]> consumers, AdapterLog log,
                       TransactionalPublisher publisher, UpdateRunner updates, Supplier<RecordIngestor> ingestors,
                       AdapterReleases releases, LearnerMetrics metrics) {
        this.setup = setup;
        this.consumers = consumers;
        this.log = log;
        this.publisher = publisher;
        this.updates = updates;
        this.ingestors = ingestors;
        this.releases = releases;
        this.metrics = metrics;
    }

    /** The adapter history as last committed (null before startup finished). */
    public AdapterHistory history() {
        return history;
    }

    /** Whether the loop is consuming (startup finished and no fatal error). */
    public boolean ready() {
        return ready && failure == null;
    }

    /** Why the loop stopped for good (fenced by a newer learner), or null. */
    public String failure() {
        return failure;
    }

    /** Runs {@code action} on the loop thread between two polls. */
    public <T> CompletableFuture<T> submit(java.util.concurrent.Callable<T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (!ready()) {
            result.completeExceptionally(new IllegalStateException("the learner is not ready"));
            return result;
        }
        commands.add(() -> {
            try {
                if (!ready()) {
                    throw new IllegalStateException("the learner is resynchronising with Kafka");
                }
                result.complete(action.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().name("dragon-learner").start(this::run);
    }

    @Override
    public void stop() {
        running = false;
        Consumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(30));
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
        while (running) {
            try {
                if (!ready) {
                    startup();
                }
                step();
            } catch (RuntimeException e) {
                if (!running && e instanceof WakeupException) {
                    break;
                }
                if (Fencing.isFenced(e)) {
                    failure = "fenced by a newer learner with the same transactional id: " + e.getMessage();
                    LOG.error("stopping: {}", failure);
                    running = false;
                } else {
                    LOG.warn("learner step failed ({}); resynchronising from Kafka in {}", e.toString(),
                            setup.retryBackoff());
                    reset();
                    sleep(setup.retryBackoff());
                }
            }
        }
        reset();
    }

    /** Forgets everything in memory; the next step starts over from what Kafka committed. */
    private void reset() {
        ready = false;
        for (Runnable command; (command = commands.poll()) != null; ) {
            command.run();      // fails: submit() checks ready() inside the command too
        }
        if (consumer != null) {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.debug("closing the consumer failed", e);
            }
            consumer = null;
        }
    }

    private void startup() {
        try {
            setup.ensureTopics();
            publisher.fence();
            consumer = consumers.createConsumer();
            partitions = setup.inputPartitions(consumer);
            consumer.assign(partitions);
            resync();
        } catch (RuntimeException e) {
            if (consumer != null) {
                consumer.close(Duration.ofSeconds(1));
                consumer = null;
            }
            throw e;
        }
        ready = true;
        LOG.info("learner started: live version {} (latest {}, pinned {}), {} versions, reading {} partitions",
                history.live(), history.latest(), history.pinned(), history.versions().size(), partitions.size());
    }

    /** Rebuilds everything from Kafka: adapter history, consumer positions at the committed offsets, empty state. */
    private void resync() {
        history = log.read();
        metrics.liveVersion(history.latest());
        ingestor = ingestors.get();
        OffsetTracker offsets = ingestor.offsets();
        Map<TopicPartition, OffsetAndMetadata> stored = consumer.committed(new HashSet<>(partitions));
        Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
        for (TopicPartition p : partitions) {
            OffsetAndMetadata o = stored.get(p);
            if (o != null) {
                consumer.seek(p, o.offset());
            } else {
                consumer.seekToBeginning(List.of(p));
            }
            long position = consumer.position(p);
            offsets.start(p.topic(), p.partition(), position);
            start.put(p, new OffsetAndMetadata(position));
        }
        committed = start;
        lastCommitNanos = System.nanoTime();
    }

    private void step() {
        for (Runnable command; (command = commands.poll()) != null; ) {
            command.run();
        }
        long now = System.nanoTime();
        for (ConsumerRecord<String, byte[]> r : consumer.poll(setup.pollTimeout())) {
            ingestor.ingest(r.topic(), r.partition(), r.offset(), r.value(), System.nanoTime());
        }
        now = System.nanoTime();
        ingestor.expire(now, reportLag());
        if (ingestor.pool().ready(setup.minExamples(), setup.maxWait().toNanos(), now)) {
            update(now);
        } else if (now - lastCommitNanos >= setup.commitInterval().toNanos()) {
            commitOffsets(now);
        }
    }

    private void update(long now) {
        ExamplePool pool = ingestor.pool();
        ExamplePool.Candidate c = pool.take(setup.maxExamples(), ingestor.joiner().waitingCuts());
        c.capped().forEach(ingestor::dropCapped);
        if (c.training().isEmpty()) {
            return;                       // everything waiting is behind a feedback still waiting for its interaction
        }
        UpdateRunner.Result r = updates.run(history.latestWeights(), c);
        metrics.updateNanos(r.nanos());
        metrics.examples("replay", r.replayRows());
        var verdict = r.verdict();
        long parent = history.latest();
        long nowMs = System.currentTimeMillis();
        AdapterVersionEvent promoted = verdict.promoted()
                ? releases.version(parent + 1, parent, null, nowMs, r.weights(), updates.method(), verdict.metrics())
                : null;
        CandidateDecisionEvent decision = new CandidateDecisionEvent(CandidateDecisionEvent.SCHEMA_VERSION,
                verdict.promoted() ? Outcome.PROMOTED : Outcome.REJECTED, verdict.promoted() ? parent + 1 : 0, parent,
                verdict.reason(), ids(c.training()), ids(c.newHoldout()), verdict.metrics(), nowMs);
        pool.settle(c, ingestor.offsets(), now);
        Map<TopicPartition, OffsetAndMetadata> offsets = safeOffsets();
        publisher.decide(promoted, decision, offsets, consumer.groupMetadata());
        committed = offsets;
        lastCommitNanos = now;
        var m = verdict.metrics();
        metrics.candidate(verdict.promoted() ? "promoted" : "rejected", verdict.code());
        if (promoted != null) {
            history = history.withVersion(VersionInfo.of(promoted), r.weights());
            metrics.liveVersion(promoted.version());
            metrics.heldoutPerplexity("feedback", m.feedbackPerplexityAfter());
            metrics.heldoutPerplexity("base", m.basePerplexityAfter());
            LOG.info("promoted version {} (parent {}) from {} examples in {} ms: {}", promoted.version(), parent,
                    c.training().size(), r.nanos() / 1_000_000, verdict.reason());
        } else {
            metrics.heldoutPerplexity("feedback", m.feedbackPerplexityBefore());
            LOG.info("rejected a candidate from {} examples (parent {}) in {} ms: {}", c.training().size(), parent,
                    r.nanos() / 1_000_000, verdict.reason());
        }
    }

    /** Commits the offsets of records that were dropped or expired since the last commit. */
    private void commitOffsets(long now) {
        lastCommitNanos = now;
        Map<TopicPartition, OffsetAndMetadata> offsets = safeOffsets();
        if (!offsets.equals(committed)) {
            publisher.commitOffsets(offsets, consumer.groupMetadata());
            committed = offsets;
        }
    }

    private Map<TopicPartition, OffsetAndMetadata> safeOffsets() {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        ingestor.offsets().safeOffsets().forEach((p, offset) ->
                out.put(new TopicPartition(p.topic(), p.partition()), new OffsetAndMetadata(offset)));
        return out;
    }

    /** Publishes the consumer lag per topic; true when every interaction partition is known to be read to its end. */
    private boolean reportLag() {
        Map<String, Long> byTopic = new HashMap<>();
        boolean interactionsCaughtUp = true;
        for (TopicPartition p : partitions) {
            var lag = consumer.currentLag(p);
            lag.ifPresent(l -> byTopic.merge(p.topic(), l, Long::sum));
            if (p.topic().equals(setup.interactionsTopic()) && (lag.isEmpty() || lag.getAsLong() > 0)) {
                interactionsCaughtUp = false;
            }
        }
        byTopic.forEach(metrics::lag);
        return interactionsCaughtUp;
    }

    /** Publishes a rollback version and makes its weights the base of further training (loop thread only). */
    AdapterHistory applyVersion(AdapterVersionEvent event, dev.dragon.learning.pc.PcWeights weights) {
        publisher.publishVersion(event);
        history = history.withVersion(VersionInfo.of(event), weights);
        metrics.liveVersion(event.version());
        return history;
    }

    /** Publishes a pin (version) or an unpin (null) (loop thread only). */
    AdapterHistory applyPin(Long version) {
        publisher.publishControl(releases.control(version, System.currentTimeMillis()));
        history = history.withPin(version);
        return history;
    }

    AdapterLog log() {
        return log;
    }

    AdapterReleases releases() {
        return releases;
    }

    private static List<String> ids(List<Example> examples) {
        List<String> ids = new ArrayList<>(examples.size());
        examples.forEach(e -> ids.add(e.feedbackId()));
        return ids;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
