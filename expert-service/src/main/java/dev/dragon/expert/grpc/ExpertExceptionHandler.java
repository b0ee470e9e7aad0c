package dev.dragon.expert.grpc;

import dev.dragon.expert.inference.ExpertMetrics;
import dev.dragon.expert.inference.ExpertRequestException;
import io.grpc.Status;
import io.grpc.StatusException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.grpc.server.exception.GrpcExceptionHandler;

/**
 * The one place where expert-service errors become gRPC statuses, log lines and
 * {@code dragon_expert_rejected_total{reason}}: each {@link ExpertRequestException.Kind} has its status
 * (bad input is never INTERNAL); anything else is a fault of this replica and is INTERNAL.
 */
public class ExpertExceptionHandler implements GrpcExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ExpertExceptionHandler.class);

    private final ExpertMetrics metrics;

    public ExpertExceptionHandler(ExpertMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public StatusException handleException(Throwable error) {
        if (error instanceof ExpertRequestException refused) {
            Status status = switch (refused.kind()) {
                case MODEL_MISMATCH -> Status.FAILED_PRECONDITION;
                case NOT_SERVED -> Status.NOT_FOUND;
                case INVALID_ROWS -> Status.INVALID_ARGUMENT;
                case TOO_MANY_ROWS -> Status.RESOURCE_EXHAUSTED;
                case NOT_READY -> Status.UNAVAILABLE;
            };
            metrics.rejected(refused.kind().reason());
            LOG.warn("dispatch refused ({}): {}", status.getCode(), refused.getMessage());
            return status.withDescription(refused.getMessage()).asException();
        }
        metrics.rejected("internal");
        LOG.error("dispatch failed inside this replica", error);
        return Status.INTERNAL.withDescription("expert computation failed: " + error.getMessage()).asException();
    }
}
