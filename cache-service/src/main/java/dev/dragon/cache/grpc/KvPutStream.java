package dev.dragon.cache.grpc;

import dev.dragon.cache.error.CacheErrors;
import dev.dragon.cache.error.InvalidCacheRequestException;
import dev.dragon.cache.keys.KvKey;
import dev.dragon.cache.kv.KvMeta;
import dev.dragon.cache.kv.KvStateCache;
import dev.dragon.cache.metrics.CacheKind;
import dev.dragon.cache.metrics.CacheMetrics;
import dev.dragon.contracts.v1.KvStateHeader;
import dev.dragon.contracts.v1.KvStatePart;
import dev.dragon.contracts.v1.StoreResult;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ThreadLocalRandom;
import reactor.util.context.Context;

/**
 * One PutKvState call: a header, then chunks, each written to Redis as it arrives. Flow control is
 * manual: the next message is requested only once the previous chunk is in Redis, so the server holds
 * at most one chunk per call whatever the state's size. The state becomes visible when the stream
 * completes with exactly the declared bytes and chunks; a stream that fails or is cancelled leaves its
 * chunks deleted (they would expire anyway) and the previous state, if any, untouched.
 */
final class KvPutStream implements StreamObserver<KvStatePart> {

    private final ServerCallStreamObserver<StoreResult> out;
    private final KvStateCache cache;
    private final CacheMetrics metrics;
    private final CacheErrors errors;
    private final Context requestContext = GrpcReplies.requestContext();
    private final String writeId = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    private KvStateHeader header;
    private KvKey key;
    private long received;
    private int written;
    private boolean finished;

    KvPutStream(StreamObserver<StoreResult> out, KvStateCache cache, CacheMetrics metrics, CacheErrors errors) {
        this.out = (ServerCallStreamObserver<StoreResult>) out;
        this.cache = cache;
        this.metrics = metrics;
        this.errors = errors;
        this.out.disableAutoRequest();
        this.out.setOnCancelHandler(() -> { });
        this.out.request(1);
    }

    @Override
    public synchronized void onNext(KvStatePart part) {
        if (finished) {
            return;
        }
        try {
            GrpcReplies.checkSchema(part.getSchemaVersion());
            if (header == null) {
                acceptHeader(part);
            } else {
                acceptChunk(part);
            }
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void acceptHeader(KvStatePart part) {
        if (!part.hasHeader()) {
            throw new InvalidCacheRequestException("header", "the first message of a KV state must be its header");
        }
        KvStateHeader h = part.getHeader();
        KvKey k = KvKey.of(h.getKey().getTenant(), h.getKey().getModel(), h.getKey().getGatingVersion(),
                h.getKey().getPrefixHash().toByteArray());
        if (h.getTokenCount() < 1) {
            throw new InvalidCacheRequestException("token_count", "a KV state covers at least one token");
        }
        if (h.getTotalBytes() < 1 || h.getChunkCount() < 1 || h.getChunkCount() > h.getTotalBytes()) {
            throw new InvalidCacheRequestException("total_bytes", "total_bytes " + h.getTotalBytes()
                    + " cannot be split into " + h.getChunkCount() + " non-empty chunks");
        }
        header = h;
        key = k;
        if (h.getTotalBytes() > cache.maxStateBytes()) {
            finished = true;
            metrics.refused(CacheKind.KV, "too_large");
            out.onNext(StoreResult.newBuilder().setSchemaVersion(GrpcReplies.SCHEMA_VERSION)
                    .setOutcome(StoreResult.Outcome.TOO_LARGE).setBytes(h.getTotalBytes()).build());
            out.onCompleted();
            return;
        }
        out.request(1);
    }

    private void acceptChunk(KvStatePart part) {
        if (part.getPartCase() != KvStatePart.PartCase.CHUNK) {
            throw new InvalidCacheRequestException("chunk", "after the header only chunks may follow");
        }
        int size = part.getChunk().size();
        if (size == 0 || size > cache.maxChunkBytes()) {
            throw new InvalidCacheRequestException("chunk", "a chunk holds 1 to " + cache.maxChunkBytes()
                    + " bytes, got " + size);
        }
        if (written >= header.getChunkCount() || received + size > header.getTotalBytes()) {
            throw new InvalidCacheRequestException("chunk", "more data than the header declared ("
                    + header.getChunkCount() + " chunks, " + header.getTotalBytes() + " bytes)");
        }
        int index = written++;
        received += size;
        cache.writeChunk(key, writeId, index, part.getChunk().toByteArray())
                .contextWrite(requestContext)
                .subscribe(null, this::fail, () -> out.request(1));
    }

    @Override
    public synchronized void onCompleted() {
        if (finished) {
            return;
        }
        if (header == null) {
            fail(new InvalidCacheRequestException("header", "the stream ended before the KV state's header"));
            return;
        }
        if (received != header.getTotalBytes() || written != header.getChunkCount()) {
            fail(new InvalidCacheRequestException("chunk", "the stream ended after " + written + " chunks, "
                    + received + " bytes; the header declared " + header.getChunkCount() + " chunks, "
                    + header.getTotalBytes() + " bytes"));
            return;
        }
        finished = true;
        cache.commit(key, new KvMeta(header.getTokenCount(), written, received, writeId))
                .contextWrite(requestContext)
                .subscribe(null, e -> {
                    discard();
                    out.onError(errors.toGrpc(e));
                }, () -> {
                    out.onNext(StoreResult.newBuilder().setSchemaVersion(GrpcReplies.SCHEMA_VERSION)
                            .setOutcome(StoreResult.Outcome.STORED).setBytes(received)
                            .setTtlMs(cache.ttl().toMillis()).build());
                    out.onCompleted();
                });
    }

    /** The client went away or broke the stream: nothing to answer, drop what was written. */
    @Override
    public synchronized void onError(Throwable t) {
        if (!finished) {
            finished = true;
            discard();
        }
    }

    private synchronized void fail(Throwable e) {
        if (finished) {
            return;
        }
        finished = true;
        discard();
        out.onError(errors.toGrpc(e));
    }

    private void discard() {
        if (key != null) {
            cache.discard(key, writeId, written).contextWrite(requestContext).onErrorComplete().subscribe();
        }
    }
}
