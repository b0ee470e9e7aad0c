package dev.dragon.cache.purge;

import dev.dragon.contracts.v1.PurgeNotice;

/**
 * The client's end of one watch (in practice a gRPC server stream). Called under the watcher's monitor, one
 * call at a time; none of them may block.
 */
public interface PurgeTransport {

    /** Whether the client takes more notices now; {@link PurgeWatcher#drain} is called when it does again. */
    boolean isReady();

    void send(PurgeNotice notice);

    /** Ends the watch: {@code why} is a {@link PurgeWatchEndedException} or the Redis failure that ended it. */
    void end(Throwable why);
}
