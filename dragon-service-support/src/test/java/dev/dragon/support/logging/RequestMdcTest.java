package dev.dragon.support.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.support.web.RequestIds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

class RequestMdcTest {

    @AfterEach
    void clear() {
        MDC.clear();
    }

    @Test
    void call_putsTheIdInTheMdc_andRestoresWhatWasThere() {
        MDC.put(RequestIds.KEY, "outer");
        String seen = RequestMdc.call("req-1", () -> MDC.get(RequestIds.KEY));
        assertThat(seen).isEqualTo("req-1");
        assertThat(MDC.get(RequestIds.KEY)).isEqualTo("outer");

        MDC.clear();
        RequestMdc.call("req-2", () -> null);
        assertThat(MDC.get(RequestIds.KEY)).isNull();
    }

    @Test
    void call_readsTheIdFromTheReactorContext() {
        String seen = Mono.deferContextual(ctx -> Mono.just(RequestMdc.call(ctx, () -> MDC.get(RequestIds.KEY))))
                .contextWrite(Context.of(RequestIds.KEY, "req-ctx"))
                .block();
        assertThat(seen).isEqualTo("req-ctx");
        assertThat(Mono.deferContextual(ctx -> Mono.justOrEmpty(RequestMdc.call(ctx, () -> MDC.get(RequestIds.KEY))))
                .block()).isNull();
    }
}
