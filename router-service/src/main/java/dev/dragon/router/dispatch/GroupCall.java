package dev.dragon.router.dispatch;

import dev.dragon.contracts.v1.DispatchRequest;
import dev.dragon.contracts.v1.DispatchResponse;
import dev.dragon.contracts.v1.ExpertRows;
import dev.dragon.core.expert.ExpertBatch;
import dev.dragon.core.tensor.TensorCodec;
import dev.dragon.core.tensor.TensorFormatException;
import io.grpc.Status;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One layer's dispatch to one group: a call to the least loaded replica, and on failure or timeout a call
 * to another replica, until one answers, the retries or replicas run out, or the deadline passes. The
 * answer is decoded into the batch's output rows of this group's experts. Completes with null on success,
 * else with the reason (never exceptionally).
 */
final class GroupCall {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCall.class);

    private final String group;
    private final ExpertBatch batch;
    private final int[] parts;                 // indices into batch.experts() sent to this group
    private final DispatchRequest request;
    private final float[] out;                 // [batch.totalRows(), d], this group's rows only
    private final Policy policy;
    private final long deadlineAt;
    private final Set<Replica> tried = new HashSet<>();
    private final CompletableFuture<String> done = new CompletableFuture<>();
    private String lastError = "";

    /**
     * What every group call of a backend shares: its replicas, metrics, log throttle, the deadline of one call
     * and how many calls (first + retries) one group dispatch may make.
     */
    record Policy(ReplicaPool pool, DispatchMetrics metrics, LogThrottle logs, long callTimeoutNanos, int maxCalls) {
    }

    GroupCall(String group, ExpertBatch batch, int[] parts, DispatchRequest request, float[] out, Policy policy,
              long deadlineAt) {
        this.group = group;
        this.batch = batch;
        this.parts = parts;
        this.request = request;
        this.out = out;
        this.policy = policy;
        this.deadlineAt = deadlineAt;
    }

    /** Indices into {@code batch.experts()} this call computes. */
    int[] parts() {
        return parts;
    }

    /** Starts the first call; the future completes with null on success or the failure reason. */
    CompletableFuture<String> start() {
        next();
        return done;
    }

    private synchronized void next() {
        long remaining = deadlineAt - System.nanoTime();
        Replica replica = remaining > 0 && tried.size() < policy.maxCalls() ? policy.pool().pick(group, tried) : null;
        if (replica == null) {
            fail(tried.isEmpty() && remaining > 0 ? "no live replica of group " + group
                    : "group " + group + " failed on " + tried.size() + " replica(s)"
                    + (remaining <= 0 ? " within the dispatch deadline" : "") + "; last error: " + lastError);
            return;
        }
        if (!tried.isEmpty()) {
            policy.metrics().retried(group);
        }
        tried.add(replica);
        replica.callStarted();
        Attempt attempt = new Attempt(replica);
        try {
            replica.stream().call(request, Math.min(policy.callTimeoutNanos(), remaining), attempt);
        } catch (RuntimeException e) {
            attempt.failed(Status.fromThrowable(e));
        }
    }

    private void fail(String reason) {
        policy.metrics().failed(group);
        long dropped = policy.logs().admit("group " + group);
        if (dropped >= 0) {
            LOG.warn("layer {} dispatch to group {} failed: {} ({} similar failures not logged)", batch.layer(), group,
                    reason, dropped);
        }
        done.complete(reason);
    }

    /** Checks the reply against the request and copies each expert's rows into place; null when it fits. */
    private String unpack(DispatchResponse reply) {
        if (reply == null || reply.getExpertsCount() != parts.length || reply.getLayer() != batch.layer()) {
            return "reply does not answer the request (layer or number of experts differs)";
        }
        int d = batch.dModel();
        for (int k = 0; k < parts.length; k++) {
            int i = parts[k];
            ExpertRows rows = reply.getExperts(k);
            if (rows.getExpert() != batch.experts()[i]) {
                return "reply lists expert " + rows.getExpert() + " where " + batch.experts()[i] + " was asked";
            }
            try {
                ByteBuffer bytes = rows.getRows().asReadOnlyByteBuffer();
                TensorCodec.Header h = TensorCodec.readHeader(bytes);
                if (h.rows() != batch.rows(i) || h.cols() != d || h.encodedSize() != bytes.remaining()) {
                    return "expert " + rows.getExpert() + ": reply is " + h.rows() + "x" + h.cols() + ", expected "
                            + batch.rows(i) + "x" + d;
                }
                TensorCodec.decodeInto(bytes, out, batch.offsets()[i] * d);
            } catch (TensorFormatException e) {
                return "expert " + rows.getExpert() + ": " + e.getMessage();
            }
        }
        return null;
    }

    /** One call to one replica; hears exactly once how it ended. */
    private final class Attempt implements ReplicaStream.Callback {
        private final Replica replica;
        private final long started = System.nanoTime();

        Attempt(Replica replica) {
            this.replica = replica;
        }

        @Override
        public void replied(DispatchResponse reply) {
            synchronized (GroupCall.this) {
                completed(reply);
            }
        }

        @Override
        public void failed(Status status) {
            synchronized (GroupCall.this) {
                failedWith(status);
            }
        }

        private void failedWith(Status status) {
            ended();
            lastError = replica.endpoint() + " " + status.getCode()
                    + (status.getDescription() == null ? "" : ": " + status.getDescription());
            long dropped = policy.logs().admit("replica " + replica);
            if (dropped >= 0) {
                LOG.warn("layer {} dispatch to {} failed, trying another replica: {} ({} similar not logged)",
                        batch.layer(), replica, lastError, dropped);
            }
            if (status.getCode() == Status.Code.INVALID_ARGUMENT) {
                fail("group " + group + " refused the request: " + lastError);  // another replica would too
            } else {
                next();
            }
        }

        private void completed(DispatchResponse reply) {
            long roundTrip = ended();
            String problem = unpack(reply);
            if (problem == null) {
                policy.metrics().answered(group, roundTrip, reply.getComputeNanos());
                if (tried.size() > 1) {
                    policy.metrics().failedOver(group);
                }
                done.complete(null);
            } else {
                lastError = replica.endpoint() + " " + problem;
                LOG.warn("layer {} dispatch to {}: unusable reply: {}", batch.layer(), replica, problem);
                next();
            }
        }

        /** Returns the call's round trip. */
        private long ended() {
            replica.callEnded();
            long roundTrip = System.nanoTime() - started;
            policy.metrics().callEnded(group, roundTrip);
            return roundTrip;
        }
    }
}
