package dev.dragon.expert.grpc;

import dev.dragon.contracts.v1.DescribeRequest;
import dev.dragon.contracts.v1.DescribeResponse;
import dev.dragon.contracts.v1.DispatchError;
import dev.dragon.contracts.v1.DispatchRequest;
import dev.dragon.contracts.v1.DispatchResponse;
import dev.dragon.contracts.v1.ExpertDispatchGrpc;
import dev.dragon.expert.inference.ExpertDispatcher;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * {@code dragon.contracts.v1.ExpertDispatch}: thin adapter over {@link ExpertDispatcher}. On the unary call,
 * exceptions propagate to {@link ExpertExceptionHandler}, the one place that turns them into statuses; on
 * the stream, the same handler's status goes into the reply's {@code error} and the stream stays open.
 */
public class ExpertDispatchGrpcService extends ExpertDispatchGrpc.ExpertDispatchImplBase {

    private final ExpertDispatcher dispatcher;
    private final ExpertExceptionHandler errors;

    public ExpertDispatchGrpcService(ExpertDispatcher dispatcher, ExpertExceptionHandler errors) {
        this.dispatcher = dispatcher;
        this.errors = errors;
    }

    @Override
    public void dispatch(DispatchRequest request, StreamObserver<DispatchResponse> responses) {
        DispatchResponse reply = dispatcher.dispatch(request);
        responses.onNext(reply);
        responses.onCompleted();
    }

    /**
     * Requests are answered one at a time, in order, on the transport thread that read them (the server runs
     * calls there); so replies never race on {@code responses}.
     */
    @Override
    public StreamObserver<DispatchRequest> dispatchStream(StreamObserver<DispatchResponse> responses) {
        return new StreamObserver<>() {
            @Override
            public void onNext(DispatchRequest request) {
                DispatchResponse reply;
                try {
                    reply = dispatcher.dispatch(request);                 // echoes the call id
                } catch (RuntimeException e) {
                    Status status = errors.handleException(e).getStatus();
                    reply = DispatchResponse.newBuilder().setSchemaVersion(1).setLayer(request.getLayer())
                            .setCallId(request.getCallId())
                            .setError(DispatchError.newBuilder().setCode(status.getCode().value())
                                    .setMessage(status.getDescription() == null ? "" : status.getDescription()))
                            .build();
                }
                responses.onNext(reply);
            }

            @Override
            public void onError(Throwable error) {
                // the router went away or cancelled: nothing is owed to it
            }

            @Override
            public void onCompleted() {
                responses.onCompleted();
            }
        };
    }

    @Override
    public void describe(DescribeRequest request, StreamObserver<DescribeResponse> responses) {
        responses.onNext(dispatcher.describe());
        responses.onCompleted();
    }
}
