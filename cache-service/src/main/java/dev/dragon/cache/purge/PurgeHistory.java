package dev.dragon.cache.purge;

import java.util.List;
import reactor.core.publisher.Mono;

/** What a {@link PurgeWatcher} reads from the purge log to replay it: {@link PurgeLog}, or a fake in tests. */
interface PurgeHistory {

    /** See {@link PurgeLog#holdsEverythingAfter}. */
    Mono<Boolean> holdsEverythingAfter(PurgeId id);

    /** See {@link PurgeLog#after}. */
    Mono<List<PurgeEntry>> after(PurgeId from, PurgeId to, int count);
}
