package dev.dragon.expert.grpc;

import dev.dragon.contracts.v1.DescribeRequest;
import dev.dragon.contracts.v1.DescribeResponse;
import dev.dragon.contracts.v1.DispatchRequest;
import dev.dragon.contracts.v1.DispatchResponse;
import dev.dragon.contracts.v1.ExpertDispatchGrpc;
import dev.dragon.expert.inference.ExpertDispatcher;
import io.grpc.stub.StreamObserver;

/**
 * {@code dragon.contracts.v1.ExpertDispatch}: thin adapter over {@link ExpertDispatcher}. Exceptions
 * propagate to {@link ExpertExceptionHandler}, the one place that turns them into statuses.
 */
public class ExpertDispatchGrpcService extends ExpertDispatchGrpc.ExpertDispatchImplBase {

    private final ExpertDispatcher dispatcher;

    public ExpertDispatchGrpcService(ExpertDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public void dispatch(DispatchRequest request, StreamObserver<DispatchResponse> responses) {
        DispatchResponse reply = dispatcher.dispatch(request);
        responses.onNext(reply);
        responses.onCompleted();
    }

    @Override
    public void describe(DescribeRequest request, StreamObserver<DescribeResponse> responses) {
        responses.onNext(dispatcher.describe());
        responses.onCompleted();
    }
}
