package dev.dragon.router.cache;

import com.google.protobuf.ByteString;
import dev.dragon.contracts.v1.CacheServiceGrpc;
import dev.dragon.contracts.v1.CachedResponse;
import dev.dragon.contracts.v1.KvStateHeader;
import dev.dragon.contracts.v1.KvStateKey;
import dev.dragon.contracts.v1.KvStateLookup;
import dev.dragon.contracts.v1.KvStatePart;
import dev.dragon.contracts.v1.PrefixLookup;
import dev.dragon.contracts.v1.PrefixLookupResult;
import dev.dragon.contracts.v1.ResponseLookup;
import dev.dragon.contracts.v1.ResponseLookupResult;
import dev.dragon.contracts.v1.ResponseStore;
import dev.dragon.contracts.v1.StoreResult;
import dev.dragon.contracts.v1.FlushResult;
import dev.dragon.contracts.v1.PurgeNotice;
import dev.dragon.contracts.v1.PurgeWatch;
import dev.dragon.contracts.v1.TenantRequest;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real implementation of the {@code CacheService} contract over {@link CacheEntries} (in memory, or a real
 * Redis server), for testing the router over a real gRPC server (the router never depends on cache-service
 * itself). Keys include the tenant and versions as cache-service's do; a storage failure (Redis gone) is
 * answered UNAVAILABLE, as cache-service answers it; {@link #stall} makes it answer late. Flush and, when asked
 * for, WatchPurges as cache-service serves them (purges replayed after the watch's id, then SUBSCRIBED, then live).
 */
final class ContractCacheService extends CacheServiceGrpc.CacheServiceImplBase {

    private final CacheEntries entries;
    private final int chunkBytes;
    private final boolean purges;
    final AtomicInteger calls = new AtomicInteger();
    private volatile CountDownLatch stall = new CountDownLatch(0);
    private final List<String[]> purgeLog = new ArrayList<>();                     // {id, tenant}; guarded by itself
    private final List<StreamObserver<PurgeNotice>> watchers = new CopyOnWriteArrayList<>();

    /** Without WatchPurges (UNIMPLEMENTED, as an older cache-service): routers never serve from a near cache. */
    ContractCacheService(CacheEntries entries, int chunkBytes) {
        this(entries, chunkBytes, false);
    }

    /** @param purges whether WatchPurges is served (a log kept in memory, across {@link CacheServer} restarts) */
    ContractCacheService(CacheEntries entries, int chunkBytes, boolean purges) {
        this.entries = entries;
        this.chunkBytes = chunkBytes;
        this.purges = purges;
    }

    /** What the Flush call does: deletes the tenant's entries, then logs the purge and tells every watcher. */
    void flushTenant(String tenant) {
        entries.flush(tenant);
        PurgeNotice notice;
        synchronized (purgeLog) {
            String id = (purgeLog.size() + 1) + "-0";
            purgeLog.add(new String[] {id, tenant});
            notice = PurgeNotice.newBuilder().setSchemaVersion(1).setKind(PurgeNotice.Kind.PURGE).setId(id)
                    .setTenant(tenant).build();
            for (StreamObserver<PurgeNotice> w : watchers) {
                try {
                    w.onNext(notice);
                } catch (RuntimeException gone) {            // cancelled by a server stop
                    watchers.remove(w);
                }
            }
        }
    }

    @Override
    public void flush(TenantRequest request, StreamObserver<FlushResult> out) {
        arrive();
        guarded(out, () -> {
            flushTenant(request.getTenant());
            out.onNext(FlushResult.newBuilder().setSchemaVersion(1).setTenant(request.getTenant()).build());
            out.onCompleted();
        });
    }

    @Override
    public void watchPurges(PurgeWatch request, StreamObserver<PurgeNotice> out) {
        if (!purges) {
            super.watchPurges(request, out);
            return;
        }
        synchronized (purgeLog) {                      // replay, then caught up, then live: nothing in between
            long after = request.getAfterId().isEmpty() ? purgeLog.size()
                    : Long.parseLong(request.getAfterId().split("-")[0]);
            for (String[] p : purgeLog.subList((int) Math.min(after, purgeLog.size()), purgeLog.size())) {
                out.onNext(PurgeNotice.newBuilder().setSchemaVersion(1).setKind(PurgeNotice.Kind.PURGE).setId(p[0])
                        .setTenant(p[1]).build());
            }
            out.onNext(PurgeNotice.newBuilder().setSchemaVersion(1).setKind(PurgeNotice.Kind.SUBSCRIBED)
                    .setId(purgeLog.isEmpty() ? "0-0" : purgeLog.getLast()[0]).build());
            watchers.add(out);
        }
        ((ServerCallStreamObserver<PurgeNotice>) out).setOnCancelHandler(() -> watchers.remove(out));
    }

    /** From now on every call waits (at most a minute) until {@link #answer()}. */
    void stall() {
        stall = new CountDownLatch(1);
    }

    /** Stalled calls go on; new ones answer at once. */
    void answer() {
        stall.countDown();
    }

    private void arrive() {
        calls.incrementAndGet();
        try {
            stall.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<Object> kvKey(String tenant, String model, String gating, ByteString hash) {
        return List.of(tenant, model, gating, hash);
    }

    /** Runs {@code call}; a storage failure becomes UNAVAILABLE. */
    private static void guarded(StreamObserver<?> out, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            out.onError(Status.UNAVAILABLE.withDescription("storage: " + e.getMessage()).asRuntimeException());
        }
    }

    @Override
    public void getResponse(ResponseLookup request, StreamObserver<ResponseLookupResult> out) {
        arrive();
        guarded(out, () -> {
            CachedResponse entry = entries.response(List.of(request.getTenant(), request.getModelVersion(),
                    request.getAdapterVersion(), request.getKey()));
            ResponseLookupResult.Builder result = ResponseLookupResult.newBuilder().setSchemaVersion(1)
                    .setFound(entry != null);
            if (entry != null) {
                result.setEntry(entry);
            }
            out.onNext(result.build());
            out.onCompleted();
        });
    }

    @Override
    public void putResponse(ResponseStore request, StreamObserver<StoreResult> out) {
        arrive();
        guarded(out, () -> {
            entries.putResponse(List.of(request.getTenant(), request.getModelVersion(), request.getAdapterVersion(),
                    request.getKey()), request.getEntry());
            out.onNext(StoreResult.newBuilder().setSchemaVersion(1).setOutcome(StoreResult.Outcome.STORED)
                    .setBytes(request.getEntry().getSerializedSize()).build());
            out.onCompleted();
        });
    }

    @Override
    public void findLongestPrefix(PrefixLookup request, StreamObserver<PrefixLookupResult> out) {
        arrive();
        guarded(out, () -> {
            PrefixLookupResult.Builder result = PrefixLookupResult.newBuilder().setSchemaVersion(1);
            for (int i = request.getPrefixHashesCount() - 1; i >= 0; i--) {
                CacheEntries.KvEntry e = entries.state(kvKey(request.getTenant(), request.getModel(),
                        request.getGatingVersion(), request.getPrefixHashes(i)));
                if (e != null) {
                    result.setFound(true).setIndex(i).setPrefixHash(request.getPrefixHashes(i)).setTokenCount(e.tokens());
                    break;
                }
            }
            out.onNext(result.build());
            out.onCompleted();
        });
    }

    @Override
    public void restoreLongestPrefix(PrefixLookup request, StreamObserver<KvStatePart> out) {
        arrive();
        int index = -1;
        CacheEntries.KvEntry e = null;
        try {
            for (int i = request.getPrefixHashesCount() - 1; i >= 0 && e == null; i--) {
                e = entries.state(kvKey(request.getTenant(), request.getModel(), request.getGatingVersion(),
                        request.getPrefixHashes(i)));
                index = i;
            }
        } catch (RuntimeException failure) {
            guarded(out, () -> {
                throw failure;
            });
            return;
        }
        KvStateHeader.Builder header = KvStateHeader.newBuilder().setSchemaVersion(1).setFound(e != null);
        if (e == null) {
            out.onNext(KvStatePart.newBuilder().setSchemaVersion(1).setHeader(header).build());
            out.onCompleted();
            return;
        }
        header.setIndex(index).setKey(KvStateKey.newBuilder().setTenant(request.getTenant()).setModel(request.getModel())
                .setGatingVersion(request.getGatingVersion()).setPrefixHash(request.getPrefixHashes(index)));
        sendState(out, header, e);
    }

    @Override
    public void getKvState(KvStateLookup request, StreamObserver<KvStatePart> out) {
        arrive();
        var k = request.getKey();
        CacheEntries.KvEntry e;
        try {
            e = entries.state(kvKey(k.getTenant(), k.getModel(), k.getGatingVersion(), k.getPrefixHash()));
        } catch (RuntimeException failure) {
            guarded(out, () -> {
                throw failure;
            });
            return;
        }
        KvStateHeader.Builder header = KvStateHeader.newBuilder().setSchemaVersion(1).setKey(k).setFound(e != null);
        if (e == null) {
            out.onNext(KvStatePart.newBuilder().setSchemaVersion(1).setHeader(header).build());
            out.onCompleted();
            return;
        }
        sendState(out, header, e);
    }

    /** The found header with the state's sizes, then its chunks. */
    private void sendState(StreamObserver<KvStatePart> out, KvStateHeader.Builder header, CacheEntries.KvEntry e) {
        int chunks = (e.data().length + chunkBytes - 1) / chunkBytes;
        out.onNext(KvStatePart.newBuilder().setSchemaVersion(1).setHeader(header.setTokenCount(e.tokens())
                .setTotalBytes(e.data().length).setChunkCount(chunks)).build());
        for (int from = 0; from < e.data().length; from += chunkBytes) {
            out.onNext(KvStatePart.newBuilder().setSchemaVersion(1)
                    .setChunk(ByteString.copyFrom(e.data(), from, Math.min(chunkBytes, e.data().length - from))).build());
        }
        out.onCompleted();
    }

    @Override
    public StreamObserver<KvStatePart> putKvState(StreamObserver<StoreResult> out) {
        arrive();
        return new StreamObserver<>() {
            private KvStateHeader header;
            private final ByteArrayOutputStream data = new ByteArrayOutputStream();
            private int chunks;

            @Override
            public void onNext(KvStatePart part) {
                if (header == null) {
                    header = part.getHeader();
                } else {
                    data.writeBytes(part.getChunk().toByteArray());
                    chunks++;
                }
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
                if (header == null || data.size() != header.getTotalBytes() || chunks != header.getChunkCount()) {
                    out.onError(Status.INVALID_ARGUMENT.withDescription("chunk: incomplete stream").asRuntimeException());
                    return;
                }
                var k = header.getKey();
                guarded(out, () -> {
                    entries.putState(kvKey(k.getTenant(), k.getModel(), k.getGatingVersion(), k.getPrefixHash()),
                            new CacheEntries.KvEntry(header.getTokenCount(), data.toByteArray()));
                    out.onNext(StoreResult.newBuilder().setSchemaVersion(1).setOutcome(StoreResult.Outcome.STORED)
                            .setBytes(data.size()).build());
                    out.onCompleted();
                });
            }
        };
    }
}
