package dev.dragon.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ConnectTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.PrematureCloseException;

class ConnectRetryFilterTest {

    @Test
    void failuresToConnect_areRetried_always() {
        assertThat(ConnectRetryFilter.retryable(new ConnectException("refused"), false)).isTrue();
        assertThat(ConnectRetryFilter.retryable(new ConnectTimeoutException("slow connect"), false)).isTrue();
        assertThat(ConnectRetryFilter.retryable(new IllegalStateException(new ConnectException("wrapped")), false)).isTrue();
    }

    @Test
    void aConnectionBrokenBeforeAnyResponse_isRetried() {
        // a router SIGKILLed as the request arrived on a pooled connection: nobody answered, nobody is generating
        assertThat(ConnectRetryFilter.retryable(PrematureCloseException.TEST_EXCEPTION, false)).isTrue();
        assertThat(ConnectRetryFilter.retryable(new IOException("Connection reset by peer"), false)).isTrue();
    }

    @Test
    void nothingIsRetried_onceAResponseStarted_orOnATimeout() {
        assertThat(ConnectRetryFilter.retryable(PrematureCloseException.TEST_EXCEPTION, true)).isFalse();
        assertThat(ConnectRetryFilter.retryable(new IOException("Connection reset by peer"), true)).isFalse();
        // the router may still be generating
        assertThat(ConnectRetryFilter.retryable(new TimeoutException("no headers"), false)).isFalse();
    }

    @Test
    void onlyFailuresToConnect_countAsNotConnected() {   // what ejects a replica at once
        assertThat(TransportFailure.notConnected(new ConnectException("refused"))).isTrue();
        assertThat(TransportFailure.notConnected(PrematureCloseException.TEST_EXCEPTION)).isFalse();
        assertThat(TransportFailure.notConnected(new IOException("Connection reset by peer"))).isFalse();
        assertThat(TransportFailure.closedBeforeResponse(new IllegalStateException(PrematureCloseException.TEST_EXCEPTION)))
                .isTrue();
        assertThat(TransportFailure.broken(new TimeoutException("no headers"))).isFalse();
    }
}
