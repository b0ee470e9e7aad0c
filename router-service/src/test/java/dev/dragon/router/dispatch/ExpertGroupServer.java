package dev.dragon.router.dispatch;

import com.google.protobuf.UnsafeByteOperations;
import dev.dragon.contracts.v1.DescribeRequest;
import dev.dragon.contracts.v1.DescribeResponse;
import dev.dragon.contracts.v1.DispatchError;
import dev.dragon.contracts.v1.DispatchRequest;
import dev.dragon.contracts.v1.DispatchResponse;
import dev.dragon.contracts.v1.ExpertDispatchGrpc;
import dev.dragon.contracts.v1.ExpertRows;
import dev.dragon.core.expert.ExpertRunner;
import dev.dragon.core.tensor.Matrix;
import dev.dragon.core.tensor.TensorCodec;
import dev.dragon.router.discovery.ReplicaEndpoint;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.function.Supplier;

/**
 * A real gRPC ExpertDispatch server on a random loopback port computing with dragon-core's ExpertRunner over
 * the shipped bundle, standing in for one expert-service replica. Tests can hold calls (to keep them
 * outstanding), slow them down, make them fail, or kill the server mid-call.
 */
final class ExpertGroupServer implements AutoCloseable {

    private final String name;
    private final BiPredicate<Integer, Integer> serves;     // (layer, expert)
    private final Supplier<ExpertRunner> runner;
    private volatile Server server;
    private final int port;
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile long delayMillis;
    private volatile Status failWith = Status.UNAVAILABLE;

    private ExpertGroupServer(String name, BiPredicate<Integer, Integer> serves, Supplier<ExpertRunner> runner)
            throws IOException {
        this.name = name;
        this.serves = serves;
        this.runner = runner;
        this.server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(new Service()).build().start();
        this.port = server.getPort();
    }

    /** A replica named {@code name} serving the (layer, expert) pairs {@code serves} accepts. */
    static ExpertGroupServer start(String name, BiPredicate<Integer, Integer> serves) throws IOException {
        ShippedExperts.experts();
        return new ExpertGroupServer(name, serves, ShippedExperts::experts);
    }

    /** A replica of the bundle partition's group {@code group}. */
    static ExpertGroupServer ofGroup(String group) throws IOException {
        ShippedExperts.experts();
        return ofGroup(group, ShippedExperts::experts);
    }

    /**
     * A replica of the partition's group {@code group} computing with the runner {@code runner} supplies at
     * call time (for a test whose ONNX Runtime belongs to a Spring context started after the server).
     */
    static ExpertGroupServer ofGroup(String group, Supplier<ExpertRunner> runner) throws IOException {
        var g = ShippedExperts.bundle().manifest().partition().groups().stream().filter(x -> x.name().equals(group))
                .findFirst().orElseThrow();
        return new ExpertGroupServer(group, g::serves, runner);
    }

    ReplicaEndpoint endpoint() {
        return new ReplicaEndpoint("127.0.0.1", port);
    }

    /** Dispatch calls received so far. */
    int calls() {
        return calls.get();
    }

    /** Dispatch calls being handled now. */
    int inFlight() {
        return inFlight.get();
    }

    /** Calls arriving from now on wait until {@link #release()}. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    void release() {
        gate.countDown();
    }

    void delay(long millis) {
        this.delayMillis = millis;
    }

    /** The next {@code n} calls fail with {@code status}. */
    void failNext(int n, Status status) {
        failWith = status;
        failures.set(n);
    }

    /** Stops at once: calls in flight are cut off, new connections refused. */
    void kill() {
        server.shutdownNow();
    }

    /** After {@link #kill()}: serves again on the same port, as a restarted replica behind the same address. */
    void restart() throws IOException, InterruptedException {
        server.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        server = Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create()).addService(new Service())
                .build().start();
    }

    @Override
    public void close() throws InterruptedException {
        release();
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return name + "@" + endpoint();
    }

    private final class Service extends ExpertDispatchGrpc.ExpertDispatchImplBase {

        @Override
        public void dispatch(DispatchRequest request, StreamObserver<DispatchResponse> responses) {
            try {
                responses.onNext(handle(request));
                responses.onCompleted();
            } catch (io.grpc.StatusRuntimeException e) {
                responses.onError(e);
            }
        }

        /**
         * Each request is handled on a thread of its own, as separate unary calls would be, so a held or slow
         * request does not hold the ones behind it; replies are written one at a time.
         */
        @Override
        public StreamObserver<DispatchRequest> dispatchStream(StreamObserver<DispatchResponse> responses) {
            return new StreamObserver<>() {
                @Override
                public void onNext(DispatchRequest request) {
                    Thread.ofVirtual().start(() -> {
                        DispatchResponse reply;
                        try {
                            reply = handle(request);
                        } catch (io.grpc.StatusRuntimeException e) {
                            reply = DispatchResponse.newBuilder().setSchemaVersion(1).setCallId(request.getCallId())
                                    .setError(DispatchError.newBuilder().setCode(e.getStatus().getCode().value())
                                            .setMessage(String.valueOf(e.getStatus().getDescription()))).build();
                        }
                        synchronized (responses) {
                            try {
                                responses.onNext(reply);
                            } catch (RuntimeException closed) {
                                // the stream was cut (kill()): the router hears that from the stream itself
                            }
                        }
                    });
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    synchronized (responses) {
                        responses.onCompleted();
                    }
                }
            };
        }

        /** The reply to one request, or the status it fails with. */
        private DispatchResponse handle(DispatchRequest request) {
            calls.incrementAndGet();
            inFlight.incrementAndGet();
            try {
                if (!gate.await(120, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("held call never released");
                }
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
                if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    throw failWith.withDescription(name + " told to fail").asRuntimeException();
                }
                return compute(request).toBuilder().setCallId(request.getCallId()).build();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw Status.CANCELLED.asRuntimeException();
            } catch (io.grpc.StatusRuntimeException e) {
                throw e;
            } catch (RuntimeException e) {
                throw Status.INTERNAL.withDescription(e.toString()).asRuntimeException();
            } finally {
                inFlight.decrementAndGet();
            }
        }

        private DispatchResponse compute(DispatchRequest request) {
            if (!request.getModel().equals(ShippedExperts.modelId())) {
                throw Status.FAILED_PRECONDITION.withDescription("model " + request.getModel()).asRuntimeException();
            }
            int layer = request.getLayer();
            DispatchResponse.Builder reply = DispatchResponse.newBuilder().setSchemaVersion(1).setLayer(layer);
            for (ExpertRows rows : request.getExpertsList()) {
                if (!serves.test(layer, rows.getExpert())) {
                    throw Status.NOT_FOUND.withDescription(name + " does not serve " + rows.getExpert())
                            .asRuntimeException();
                }
                ByteBuffer bytes = rows.getRows().asReadOnlyByteBuffer();
                TensorCodec.Precision precision = TensorCodec.readHeader(bytes).precision();
                Matrix x = TensorCodec.decode(bytes);                               // [n, d]
                float[] y = new float[x.data().length];                             // E(x) [n, d]
                runner.get().run(layer, rows.getExpert(), x.data(), 0, x.rows(), y);
                reply.addExperts(ExpertRows.newBuilder().setExpert(rows.getExpert()).setRows(
                        UnsafeByteOperations.unsafeWrap(TensorCodec.encode(y, 0, x.rows(), x.cols(), precision))));
            }
            return reply.build();
        }

        @Override
        public void describe(DescribeRequest request, StreamObserver<DescribeResponse> responses) {
            responses.onNext(DescribeResponse.newBuilder().setSchemaVersion(1).setGroup(name).setReady(true).build());
            responses.onCompleted();
        }
    }
}
