package dev.dragon.contracts.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The expert dispatch contract: messages keep rows byte for byte and in order, and the service is callable. */
class ExpertContractTest {

    @Test
    void dispatchRequest_keepsExpertOrderAndRowBytes_throughTheWireFormat() throws Exception {
        byte[] rowsA = {1, 1, 0, 0, 0, 0, 0, 0, 0, 0};
        byte[] rowsB = {1, 2, 7, 0, 0, 0, 3, 0, 0, 0, -1, 0x7f};
        DispatchRequest request = DispatchRequest.newBuilder()
                .setSchemaVersion(1)
                .setModel("dragon-moe-mini@1.0.0")
                .setLayer(3)
                .addExperts(ExpertRows.newBuilder().setExpert(6).setRows(ByteString.copyFrom(rowsA)))
                .addExperts(ExpertRows.newBuilder().setExpert(2).setRows(ByteString.copyFrom(rowsB)))
                .build();

        DispatchRequest parsed = DispatchRequest.parseFrom(request.toByteArray());

        assertThat(parsed).isEqualTo(request);
        assertThat(parsed.getExpertsList()).extracting(ExpertRows::getExpert).containsExactly(6, 2);
        assertThat(parsed.getExperts(1).getRows().toByteArray()).containsExactly(rowsB);
    }

    @Test
    void describeResponse_fromALaterSchema_parsesWithItsUnknownFieldsIgnored() throws Exception {
        DescribeResponse v1 = DescribeResponse.newBuilder().setSchemaVersion(1).setGroup("g1")
                .setModel("m@1").addServed(ServedExpert.newBuilder().setLayer(0).setExpert(4))
                .setReady(true).setDModel(256).build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        v1.writeTo(bytes);
        CodedOutputStream extra = CodedOutputStream.newInstance(bytes);
        extra.writeString(99, "a field a newer replica sends");
        extra.flush();

        DescribeResponse parsed = DescribeResponse.parseFrom(bytes.toByteArray());

        assertThat(parsed.getGroup()).isEqualTo("g1");
        assertThat(parsed.getServedList()).hasSize(1);
        assertThat(parsed.getDModel()).isEqualTo(256);
        assertThat(parsed.getUnknownFields().hasField(99)).isTrue();
    }

    @Test
    void generatedStubs_callBothMethods_andCarryStatusCodes() throws Exception {
        String name = InProcessServerBuilder.generateName();
        Server server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new ExpertDispatchGrpc.ExpertDispatchImplBase() {
                    @Override
                    public void dispatch(DispatchRequest request, StreamObserver<DispatchResponse> observer) {
                        if (request.getLayer() > 3) {
                            observer.onError(Status.NOT_FOUND.withDescription("layer " + request.getLayer())
                                    .asRuntimeException());
                            return;
                        }
                        DispatchResponse.Builder reply = DispatchResponse.newBuilder().setSchemaVersion(1)
                                .setLayer(request.getLayer());
                        request.getExpertsList().forEach(reply::addExperts);     // echo
                        observer.onNext(reply.build());
                        observer.onCompleted();
                    }

                    @Override
                    public void describe(DescribeRequest request, StreamObserver<DescribeResponse> observer) {
                        observer.onNext(DescribeResponse.newBuilder().setSchemaVersion(1).setGroup("g0")
                                .setReady(true).build());
                        observer.onCompleted();
                    }
                })
                .build().start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        try {
            var stub = ExpertDispatchGrpc.newBlockingStub(channel);
            DispatchRequest request = DispatchRequest.newBuilder().setSchemaVersion(1).setLayer(1)
                    .addExperts(ExpertRows.newBuilder().setExpert(5).setRows(ByteString.copyFromUtf8("xy")))
                    .build();

            assertThat(stub.dispatch(request).getExpertsList()).isEqualTo(request.getExpertsList());
            assertThat(stub.describe(DescribeRequest.newBuilder().setSchemaVersion(1).build()).getGroup())
                    .isEqualTo("g0");
            assertThatThrownBy(() -> stub.dispatch(request.toBuilder().setLayer(9).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                        assertThat(e.getStatus().getDescription()).isEqualTo("layer 9");
                    });
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
