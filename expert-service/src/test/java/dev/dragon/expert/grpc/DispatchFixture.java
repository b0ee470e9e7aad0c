package dev.dragon.expert.grpc;

import com.google.protobuf.ByteString;
import dev.dragon.contracts.v1.DispatchRequest;
import dev.dragon.contracts.v1.ExpertDispatchGrpc;
import dev.dragon.contracts.v1.ExpertRows;
import dev.dragon.core.tensor.TensorCodec;
import dev.dragon.support.grpc.RequestIdInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/** A plaintext channel to a running expert-service and the requests the tests send it. */
public final class DispatchFixture implements AutoCloseable {

    private final ManagedChannel channel;

    public DispatchFixture(int grpcPort) {
        this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext()
                .maxInboundMessageSize(64 << 20).build();
    }

    public ExpertDispatchGrpc.ExpertDispatchBlockingStub stub() {
        return ExpertDispatchGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    /** A stub whose calls carry {@code x-dragon-request-id: id}. */
    public ExpertDispatchGrpc.ExpertDispatchBlockingStub stubWithRequestId(String id) {
        Metadata headers = new Metadata();
        headers.put(RequestIdInterceptors.KEY, id);
        return stub().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    public ManagedChannel channel() {
        return channel;
    }

    /** {@code rows x cols} values in [-2, 2) from {@code seed}. */
    public static float[] randomRows(long seed, int rows, int cols) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble() * 4 - 2);
        }
        return x;
    }

    public static ExpertRows rows(int expert, float[] x, int rows, int cols, TensorCodec.Precision precision) {
        return ExpertRows.newBuilder().setExpert(expert)
                .setRows(ByteString.copyFrom(TensorCodec.encode(x, 0, rows, cols, precision))).build();
    }

    public static DispatchRequest.Builder request(String model, int layer) {
        return DispatchRequest.newBuilder().setSchemaVersion(1).setModel(model).setLayer(layer);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
}
