package dev.dragon.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

/** What a relayed response reports as the tokens it really cost, over Spring's in-memory server response. */
class UsageTrackingResponseTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TokenDemand WHOLE = new TokenDemand(10, 50, false, false);
    private static final TokenDemand STREAMED = new TokenDemand(10, 50, true, false);
    private static final String ANSWER = "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
            + "\"assistant\",\"content\":\"Hi\"}}],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":3,"
            + "\"total_tokens\":10}}";

    private final List<Long> reported = new ArrayList<>();
    private final MockServerHttpResponse target = new MockServerHttpResponse();

    @Test
    void jsonAnswer_inSeveralBuffers_reportsItsUsage_andIsRelayedUnchanged() {
        target.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        tracked(WHOLE).writeWith(buffers(ANSWER.substring(0, 20), ANSWER.substring(20, 90), ANSWER.substring(90)))
                .block(Duration.ofSeconds(10));
        assertThat(reported).containsExactly(10L);
        assertThat(target.getBodyAsString().block(Duration.ofSeconds(10))).isEqualTo(ANSWER);
    }

    @Test
    void jsonAnswerLargerThanTheCopyLimit_reportsTheReservation_notAPartialParse() {
        target.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        String padded = "{\"pad\":\"" + "x".repeat((1 << 20) + 16) + "\",";
        // the head fits, the padding does not, the tail with the usage would fit again: it must not be glued on
        tracked(WHOLE).writeWith(buffers("{\"a\":1,", padded.substring(1), ANSWER.substring(1)))
                .block(Duration.ofSeconds(10));
        assertThat(reported).containsExactly(WHOLE.reserved());
    }

    @Test
    void errorStatus_withoutUsage_costsNothing() {
        target.setStatusCode(HttpStatus.TOO_MANY_REQUESTS);
        target.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        tracked(WHOLE).writeWith(buffers("{\"error\":{\"message\":\"busy\"}}")).block(Duration.ofSeconds(10));
        assertThat(reported).containsExactly(0L);
    }

    @Test
    void stream_reportsItsUsageChunk_andRelaysItWithoutIt() {
        target.getHeaders().setContentType(MediaType.TEXT_EVENT_STREAM);
        String token = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n";
        String usage = "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":2}}\n\n";
        String done = "data: [DONE]\n\n";
        tracked(STREAMED).writeWith(buffers(token, token + usage.substring(0, 11), usage.substring(11) + done))
                .block(Duration.ofSeconds(10));
        assertThat(reported).containsExactly(9L);
        assertThat(target.getBodyAsString().block(Duration.ofSeconds(10))).isEqualTo(token + token + done);
    }

    @Test
    void abandonedBeforeAnyResponse_costsNothing_andIsReportedOnce() {
        UsageTrackingResponse response = tracked(WHOLE);
        response.abandon();
        response.abandon();
        assertThat(reported).containsExactly(0L);
    }

    private UsageTrackingResponse tracked(TokenDemand demand) {
        return new UsageTrackingResponse(target, demand, JSON, reported::add);
    }

    private static Flux<DataBuffer> buffers(String... parts) {
        return Flux.fromArray(parts).map(p -> DefaultDataBufferFactory.sharedInstance.wrap(p.getBytes(StandardCharsets.UTF_8)));
    }
}
