package dev.dragon.gateway.routing;

import io.netty.channel.ConnectTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import reactor.netty.http.client.PrematureCloseException;

/**
 * How a call to a router failed in transport, read from the cause chain: the one classification that the retry,
 * the replica ejection, the route's breaker and the error mapping share.
 */
public final class TransportFailure {

    private TransportFailure() {
    }

    /** Refused or timed out while connecting: no byte of the request was sent. */
    public static boolean notConnected(Throwable failure) {
        return hasCause(failure, ConnectException.class) || hasCause(failure, ConnectTimeoutException.class);
    }

    /** The router closed the connection before any response (reactor-netty's premature close). */
    public static boolean closedBeforeResponse(Throwable failure) {
        return hasCause(failure, PrematureCloseException.class);
    }

    /** Any I/O failure of the connection (reset, close, refused); not a timeout. */
    public static boolean broken(Throwable failure) {
        return hasCause(failure, IOException.class);
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
