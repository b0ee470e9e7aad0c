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
    void onlyFailuresToConnect_areRetried() {
        assertThat(ConnectRetryFilter.notConnected(new ConnectException("refused"))).isTrue();
        assertThat(ConnectRetryFilter.notConnected(new ConnectTimeoutException("slow connect"))).isTrue();
        assertThat(ConnectRetryFilter.notConnected(new IllegalStateException(new ConnectException("wrapped")))).isTrue();

        // the request may have reached a router: never sent twice
        assertThat(ConnectRetryFilter.notConnected(PrematureCloseException.TEST_EXCEPTION)).isFalse();
        assertThat(ConnectRetryFilter.notConnected(new IOException("Connection reset by peer"))).isFalse();
        assertThat(ConnectRetryFilter.notConnected(new TimeoutException("no headers"))).isFalse();
    }
}
