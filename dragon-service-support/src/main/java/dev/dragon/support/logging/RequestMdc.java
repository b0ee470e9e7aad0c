package dev.dragon.support.logging;

import dev.dragon.support.web.RequestIds;
import java.util.function.Supplier;
import org.slf4j.MDC;
import reactor.util.context.ContextView;

/**
 * The request id in the MDC around a few log calls, for a service that leaves Reactor's automatic context
 * propagation off on its hot path ({@code dragon.logging.automatic-context-propagation=false}): the id is
 * still in the Reactor context and the exchange, and the service's own log sites of a request put it in the
 * MDC themselves, so only those lines (not the per-operator thread-local copies) cost anything.
 */
public final class RequestMdc {

    private RequestMdc() {
    }

    /** Runs {@code logging} with {@code requestId} (may be null: then unchanged) in the MDC. */
    public static <T> T call(String requestId, Supplier<T> logging) {
        if (requestId == null) {
            return logging.get();
        }
        String previous = MDC.get(RequestIds.KEY);
        MDC.put(RequestIds.KEY, requestId);
        try {
            return logging.get();
        } finally {
            if (previous == null) {
                MDC.remove(RequestIds.KEY);
            } else {
                MDC.put(RequestIds.KEY, previous);
            }
        }
    }

    /** Runs {@code logging} with the request id of a Reactor context (if it has one) in the MDC. */
    public static <T> T call(ContextView context, Supplier<T> logging) {
        return call(context.<String>getOrDefault(RequestIds.KEY, null), logging);
    }
}
