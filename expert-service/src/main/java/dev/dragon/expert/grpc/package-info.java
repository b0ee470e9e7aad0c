/** The gRPC face of expert-service: the ExpertDispatch service and the one place errors become statuses. */
package dev.dragon.expert.grpc;
