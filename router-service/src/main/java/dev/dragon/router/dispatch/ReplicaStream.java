package dev.dragon.router.dispatch;

import dev.dragon.contracts.v1.DispatchRequest;
import dev.dragon.contracts.v1.DispatchResponse;
import dev.dragon.contracts.v1.ExpertDispatchGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The one long-lived {@code DispatchStream} of this router to a replica: a dispatch call is a request message
 * tagged with a call id and its reply, instead of an HTTP/2 stream with headers, trailers, interceptors and a
 * deadline timer per layer (the profile put those at half of a call's cost on both ends). The stream is opened
 * on first use and again after it broke; when it breaks every call pending on it fails with the stream's
 * status, so {@link GroupCall} retries them on another replica as it does a failed unary call. Each call keeps
 * its own deadline, checked by a sweep on {@code timers} while calls are pending (accurate to {@link #sweepNanos}).
 *
 * <p>Thread-safe. The dispatcher starts calls, reads replies and sweeps on its one loop thread
 * ({@link DispatchLoop}), so callbacks (which may start a retry on another replica's stream) never contend.
 */
final class ReplicaStream {

    /** How one call ends: a reply, or a status (the replica's error, the stream's failure, or the deadline). */
    interface Callback {
        void replied(DispatchResponse reply);

        void failed(Status status);
    }

    private record Pending(Callback callback, long deadlineAt) {
    }

    private final ExpertDispatchGrpc.ExpertDispatchStub stub;
    private final ScheduledExecutorService timers;
    private final long sweepNanos;
    private final Map<Long, Pending> pending = new HashMap<>();
    private StreamObserver<DispatchRequest> requests;          // null until opened and after it ended
    private Replies generation;                                // the open stream's observer: ignore a stale one's end
    private Status lastFailure = Status.UNAVAILABLE;
    private boolean sweepScheduled;
    private boolean closed;

    ReplicaStream(ExpertDispatchGrpc.ExpertDispatchStub stub, ScheduledExecutorService timers, long sweepNanos) {
        this.stub = stub;
        this.timers = timers;
        this.sweepNanos = sweepNanos;
    }

    /**
     * Sends {@code request} as a new call; {@code callback} hears exactly once how it ended. The request's
     * {@code call_id} must not be pending on this stream (the backend numbers requests router-wide, and a
     * group call never asks the same replica twice).
     */
    void call(DispatchRequest request, long timeoutNanos, Callback callback) {
        Status refused = null;
        synchronized (this) {
            if (closed) {
                refused = Status.UNAVAILABLE.withDescription("replica removed from the pool");
            } else {
                if (requests == null) {
                    open();
                }
                if (requests == null) {
                    refused = lastFailure;                   // the stream failed as it opened
                } else if (pending.putIfAbsent(request.getCallId(),
                        new Pending(callback, System.nanoTime() + timeoutNanos)) != null) {
                    refused = Status.INTERNAL.withDescription("call id " + request.getCallId() + " already pending");
                } else {
                    scheduleSweep();
                    requests.onNext(request);
                }
            }
        }
        if (refused != null) {
            callback.failed(refused);
        }
    }

    /** Half-closes the stream: the replica answers what it has, then ends it. */
    synchronized void finish() {
        closed = true;
        if (requests != null) {
            requests.onCompleted();
        }
    }

    private void open() {
        Replies replies = new Replies();
        generation = replies;
        StreamObserver<DispatchRequest> opened = stub.dispatchStream(replies);
        if (generation == replies) {                   // else it failed at once (ended() ran inside the call)
            requests = opened;
        }
    }

    private void scheduleSweep() {
        if (!sweepScheduled && !pending.isEmpty()) {
            sweepScheduled = true;
            timers.schedule(this::sweep, sweepNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void sweep() {
        List<Callback> expired = new ArrayList<>();
        synchronized (this) {
            sweepScheduled = false;
            long now = System.nanoTime();
            for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
                Pending p = it.next();
                if (now - p.deadlineAt() >= 0) {
                    it.remove();
                    expired.add(p.callback());
                }
            }
            scheduleSweep();
        }
        Status late = Status.DEADLINE_EXCEEDED.withDescription("no reply within the call timeout");
        expired.forEach(c -> c.failed(late));
    }

    private void replied(DispatchResponse reply) {
        Pending p;
        synchronized (this) {
            p = pending.remove(reply.getCallId());
        }
        if (p == null) {
            return;                                    // answered after its deadline: the call was retried already
        }
        if (reply.hasError()) {
            p.callback().failed(Status.fromCodeValue(reply.getError().getCode())
                    .withDescription(reply.getError().getMessage()));
        } else {
            p.callback().replied(reply);
        }
    }

    private void ended(Replies which, Status status) {
        List<Pending> lost;
        synchronized (this) {
            if (which != generation) {
                return;
            }
            requests = null;
            generation = null;
            lastFailure = status;
            lost = new ArrayList<>(pending.values());
            pending.clear();
        }
        lost.forEach(p -> p.callback().failed(status));
    }

    private final class Replies implements StreamObserver<DispatchResponse> {
        @Override
        public void onNext(DispatchResponse reply) {
            replied(reply);
        }

        @Override
        public void onError(Throwable error) {
            ended(this, Status.fromThrowable(error));
        }

        @Override
        public void onCompleted() {
            ended(this, Status.UNAVAILABLE.withDescription("replica ended the dispatch stream"));
        }
    }
}
