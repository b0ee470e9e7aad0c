package dev.dragon.cache.grpc;

import dev.dragon.cache.error.CacheErrors;
import dev.dragon.cache.purge.PurgeFeed;
import dev.dragon.cache.purge.PurgeId;
import dev.dragon.cache.purge.PurgeTransport;
import dev.dragon.cache.purge.PurgeWatchEndedException;
import dev.dragon.cache.purge.PurgeWatcher;
import dev.dragon.contracts.v1.PurgeNotice;
import dev.dragon.contracts.v1.PurgeWatch;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * One WatchPurges call: validates the request, then carries its {@link PurgeWatcher}'s notices over the
 * server stream with gRPC flow control ({@code isReady} / on-ready). A watch that falls too far behind ends
 * RESOURCE_EXHAUSTED, one on a replica that shuts down UNAVAILABLE, one whose replay Redis failed as
 * {@link CacheErrors} maps it (UNAVAILABLE); the router then watches again after the last id it saw.
 */
final class PurgeWatchStream implements PurgeTransport {

    private final ServerCallStreamObserver<PurgeNotice> out;
    private final CacheErrors errors;
    /** Set before the call method returns, so before any cancel or on-ready callback. */
    private volatile PurgeWatcher watcher;

    private PurgeWatchStream(ServerCallStreamObserver<PurgeNotice> out, CacheErrors errors) {
        this.out = out;
        this.errors = errors;
    }

    static void serve(PurgeWatch request, StreamObserver<PurgeNotice> observer, PurgeFeed feed, CacheErrors errors) {
        ServerCallStreamObserver<PurgeNotice> out = (ServerCallStreamObserver<PurgeNotice>) observer;
        PurgeId afterId;
        try {
            GrpcReplies.checkSchema(request.getSchemaVersion());
            afterId = request.getAfterId().isEmpty() ? null : PurgeId.parse("after_id", request.getAfterId());
        } catch (RuntimeException e) {
            out.onError(errors.toGrpc(e));
            return;
        }
        PurgeWatchStream stream = new PurgeWatchStream(out, errors);
        out.setOnCancelHandler(() -> stream.watcher.cancel());
        out.setOnReadyHandler(() -> stream.watcher.drain());
        stream.watcher = feed.open(afterId, stream);
    }

    @Override
    public boolean isReady() {
        return out.isReady();
    }

    @Override
    public void send(PurgeNotice notice) {
        out.onNext(notice);
    }

    @Override
    public void end(Throwable why) {
        out.onError(status(why));
    }

    private StatusRuntimeException status(Throwable why) {
        if (why instanceof PurgeWatchEndedException ended) {
            Status status = ended.reason() == PurgeWatchEndedException.Reason.FELL_BEHIND
                    ? Status.RESOURCE_EXHAUSTED : Status.UNAVAILABLE;
            return status.withDescription(ended.getMessage()).asRuntimeException();
        }
        return errors.toGrpc(why);
    }
}
