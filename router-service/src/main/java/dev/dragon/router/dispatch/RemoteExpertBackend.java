package dev.dragon.router.dispatch;

import com.google.protobuf.UnsafeByteOperations;
import dev.dragon.contracts.v1.DispatchRequest;
import dev.dragon.contracts.v1.ExpertRows;
import dev.dragon.core.expert.ExpertBackend;
import dev.dragon.core.expert.ExpertBatch;
import dev.dragon.core.expert.ExpertResult;
import dev.dragon.core.tensor.TensorCodec;
import dev.dragon.router.discovery.ExpertDiscovery;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The routed experts of a layer computed by the expert groups over gRPC. For each {@link ExpertBatch}: every
 * expert goes to a group serving it (the least loaded one when several do), each group gets one
 * DispatchRequest with its experts' rows, all groups are called in parallel, and each call fails over to
 * other replicas of its group within the deadline ({@link GroupCall}). The experts of a group that could not
 * answer are reported in {@link ExpertResult#failures()}; the future never completes exceptionally.
 *
 * <p>{@link #waitedNanos()} is the time the engine spent blocked in {@code join()} on these futures.
 */
public final class RemoteExpertBackend implements ExpertBackend {

    /** Dispatch timing and wire settings. */
    public record Settings(TensorCodec.Precision precision, Duration callTimeout, Duration deadline, int retries) {

        public static Settings of(DispatchProperties p) {
            return new Settings(p.precision(), p.callTimeout(), p.deadline(), p.retries());
        }
    }

    private final String model;
    private final GroupPlacement placement;
    private final Settings settings;
    private final ReplicaPool pool;
    private final GroupCall.Policy policy;
    private final ExpertDiscovery.Subscription subscription;
    private final Executor callStarter;
    private final LongAdder waitedNanos = new LongAdder();
    private final AtomicLong callIds = new AtomicLong();         // DispatchRequest.call_id, unique per router

    /**
     * @param model     the bundle as expert-service names it, {@code name@version}
     * @param discovery replicas per group; this backend subscribes (the caller starts and closes discovery)
     */
    public RemoteExpertBackend(String model, GroupPlacement placement, ExpertDiscovery discovery,
                               ChannelFactory channels, Settings settings, MeterRegistry registry) {
        this.model = model;
        this.placement = placement;
        this.settings = settings;
        this.pool = new ReplicaPool(channels);
        this.policy = new GroupCall.Policy(pool, new DispatchMetrics(registry, placement.groups(), pool, waitedNanos),
                new LogThrottle(TimeUnit.SECONDS.toNanos(10)), settings.callTimeout().toNanos(), 1 + settings.retries());
        this.callStarter = channels.callStarter();
        this.subscription = discovery.subscribe(pool);
    }

    @Override
    public CompletableFuture<ExpertResult> submit(ExpertBatch batch) {
        WaitTimedFuture result = new WaitTimedFuture(waitedNanos);
        float[] out = new float[batch.totalRows() * batch.dModel()];              // [N, d]
        Map<Integer, String> failures = new ConcurrentHashMap<>();
        try {
            Map<String, List<Integer>> plan = plan(batch, failures);
            long deadlineAt = System.nanoTime() + settings.deadline().toNanos();
            List<GroupCall> calls = new ArrayList<>();
            plan.forEach((group, experts) -> {                 // requests encoded here, on the caller's thread
                int[] idx = experts.stream().mapToInt(Integer::intValue).toArray();
                calls.add(new GroupCall(group, batch, idx, request(batch, idx), out, policy, deadlineAt));
            });
            callStarter.execute(() -> startAll(batch, calls, out, failures, result));
        } catch (RuntimeException e) {
            failAll(batch, out, failures, result, e);
        }
        return result;
    }

    /** Starts a layer's group calls (on the call starter's thread); the result completes when all ended. */
    private static void startAll(ExpertBatch batch, List<GroupCall> calls, float[] out,
                                 Map<Integer, String> failures, WaitTimedFuture result) {
        try {
            CompletableFuture<?>[] done = new CompletableFuture<?>[calls.size()];
            for (int k = 0; k < calls.size(); k++) {
                GroupCall call = calls.get(k);
                done[k] = call.start().thenAccept(reason -> {
                    if (reason != null) {
                        for (int i : call.parts()) {
                            failures.put(batch.experts()[i], reason);
                        }
                    }
                });
            }
            CompletableFuture.allOf(done).whenComplete((ignored, error) -> result.complete(new ExpertResult(out, failures)));
        } catch (RuntimeException e) {
            failAll(batch, out, failures, result, e);
        }
    }

    /** Never an exceptional future: every expert of the batch not yet failed fails with {@code e}. */
    private static void failAll(ExpertBatch batch, float[] out, Map<Integer, String> failures, WaitTimedFuture result,
                                RuntimeException e) {
        for (int expert : batch.experts()) {
            failures.putIfAbsent(expert, "dispatch failed: " + e);
        }
        result.complete(new ExpertResult(out, failures));
    }

    /** Group → indices into {@code batch.experts()} it computes; experts no group serves go to {@code failures}. */
    private Map<String, List<Integer>> plan(ExpertBatch batch, Map<Integer, String> failures) {
        Map<String, List<Integer>> plan = new TreeMap<>();
        Map<String, Integer> plannedRows = new TreeMap<>();
        int total = Math.max(1, batch.totalRows());
        for (int i = 0; i < batch.experts().length; i++) {
            if (batch.rows(i) == 0) {
                continue;
            }
            int expert = batch.experts()[i];
            List<String> candidates = placement.groupsServing(batch.layer(), expert);
            String best = null;
            double bestLoad = Double.MAX_VALUE;
            for (String g : candidates) {                          // least loaded group with a live replica
                int replicas = pool.size(g);
                double load = replicas == 0 ? Double.MAX_VALUE / 2
                        : (pool.outstanding(g) + plannedRows.getOrDefault(g, 0) / (double) total) / replicas;
                if (best == null || load < bestLoad) {
                    best = g;
                    bestLoad = load;
                }
            }
            if (best == null) {
                failures.put(expert, "no group serves layer " + batch.layer() + " expert " + expert);
                continue;
            }
            plan.computeIfAbsent(best, g -> new ArrayList<>()).add(i);
            plannedRows.merge(best, batch.rows(i), Integer::sum);
        }
        return plan;
    }

    private DispatchRequest request(ExpertBatch batch, int[] idx) {
        int d = batch.dModel();
        DispatchRequest.Builder request = DispatchRequest.newBuilder().setSchemaVersion(1).setModel(model)
                .setLayer(batch.layer()).setCallId(callIds.incrementAndGet());
        for (int i : idx) {
            byte[] rows = TensorCodec.encode(batch.input(), batch.offsets()[i] * d, batch.rows(i), d,
                    settings.precision());                                   // [rows_i, d]
            request.addExperts(ExpertRows.newBuilder().setExpert(batch.experts()[i])
                    .setRows(UnsafeByteOperations.unsafeWrap(rows)));
        }
        return request.build();
    }

    /** Total time callers spent blocked in {@code join()}/{@code get()} on results of this backend. */
    public long waitedNanos() {
        return waitedNanos.sum();
    }

    /** Live replicas of {@code group} this backend holds a channel to. */
    public int replicas(String group) {
        return pool.size(group);
    }

    @Override
    public void close() {
        subscription.close();
        pool.close();
    }

    /** Counts the time a caller blocks waiting for the result: the engine's wait on dispatch. */
    static final class WaitTimedFuture extends CompletableFuture<ExpertResult> {
        private final LongAdder waited;

        WaitTimedFuture(LongAdder waited) {
            this.waited = waited;
        }

        @Override
        public ExpertResult join() {
            if (isDone()) {
                return super.join();
            }
            long start = System.nanoTime();
            try {
                return super.join();
            } finally {
                waited.add(System.nanoTime() - start);
            }
        }

        @Override
        public ExpertResult get() throws InterruptedException, java.util.concurrent.ExecutionException {
            if (isDone()) {
                return super.get();
            }
            long start = System.nanoTime();
            try {
                return super.get();
            } finally {
                waited.add(System.nanoTime() - start);
            }
        }
    }
}
