package dev.dragon.support.logging;

import dev.dragon.support.web.RequestIds;
import io.micrometer.context.ThreadLocalAccessor;
import org.slf4j.MDC;

/**
 * Bridges the request id between the Reactor context and the SLF4J MDC, so that with
 * {@code Hooks.enableAutomaticContextPropagation()} every log line of a request carries its id
 * (the log pattern prints {@code %X{requestId}}).
 */
public final class MdcRequestIdAccessor implements ThreadLocalAccessor<String> {

    @Override
    public Object key() {
        return RequestIds.KEY;
    }

    @Override
    public String getValue() {
        return MDC.get(RequestIds.KEY);
    }

    @Override
    public void setValue(String value) {
        MDC.put(RequestIds.KEY, value);
    }

    @Override
    public void setValue() {
        MDC.remove(RequestIds.KEY);
    }
}
