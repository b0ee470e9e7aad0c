package dev.dragon.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import tools.jackson.databind.json.JsonMapper;

class SseUsageScannerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DataBufferFactory FACTORY = DefaultDataBufferFactory.sharedInstance;
    private static final String ROLE = "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}\n\n";
    private static final String TOKEN = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"usage\"}}]}\n\n";
    private static final String USAGE = "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4,"
            + "\"total_tokens\":13}}\n\n";
    private static final String DONE = "data: [DONE]\n\n";
    private static final String STREAM = ROLE + TOKEN + TOKEN + USAGE + DONE;

    @Test
    void usageChunk_isRead_andDropped_whenTheClientDidNotAskForIt() {
        SseUsageScanner scanner = new SseUsageScanner(JSON, false);
        String out = feed(scanner, STREAM, STREAM.length());
        assertThat(out).isEqualTo(ROLE + TOKEN + TOKEN + DONE);
        assertThat(scanner.usageTokens()).isEqualTo(13);
        assertThat(scanner.dataEvents()).isEqualTo(3);
    }

    @Test
    void usageChunk_isKept_whenTheClientAskedForIt() {
        SseUsageScanner scanner = new SseUsageScanner(JSON, true);
        assertThat(feed(scanner, STREAM, STREAM.length())).isEqualTo(STREAM);
        assertThat(scanner.usageTokens()).isEqualTo(13);
    }

    @Test
    void eventsSplitAcrossBuffers_atEveryPossibleSize_areReassembledInOrder() {
        for (int size = 1; size <= STREAM.length(); size++) {
            SseUsageScanner scanner = new SseUsageScanner(JSON, false);
            assertThat(feed(scanner, STREAM, size)).as("buffers of %d bytes", size).isEqualTo(ROLE + TOKEN + TOKEN + DONE);
            assertThat(scanner.usageTokens()).isEqualTo(13);
        }
    }

    @Test
    void crlfFramedEvents_areRecognised() {
        String crlf = STREAM.replace("\n", "\r\n");
        SseUsageScanner scanner = new SseUsageScanner(JSON, false);
        String out = feed(scanner, crlf, 7);
        assertThat(out).doesNotContain("\"usage\":{");
        assertThat(scanner.usageTokens()).isEqualTo(13);
    }

    @Test
    void anUnterminatedLastEvent_isHandedBackAsRemainder() {
        SseUsageScanner scanner = new SseUsageScanner(JSON, false);
        List<byte[]> events = scanner.accept((ROLE + "data: {\"partial\"").getBytes(StandardCharsets.UTF_8));
        assertThat(events).hasSize(1);
        assertThat(new String(scanner.remainder(), StandardCharsets.UTF_8)).isEqualTo("data: {\"partial\"");
        assertThat(scanner.usageTokens()).isEqualTo(-1);
    }

    @Test
    void anOversizedEvent_isPassedOnUninspected() {
        SseUsageScanner scanner = new SseUsageScanner(JSON, false);
        byte[] huge = new byte[SseUsageScanner.MAX_EVENT_BYTES + 10];
        java.util.Arrays.fill(huge, (byte) 'a');
        List<byte[]> events = scanner.accept(huge);
        assertThat(events).hasSize(1);
        assertThat(events.get(0)).hasSize(huge.length);
        assertThat(scanner.remainder()).isEmpty();
    }

    @Test
    void aBufferOfWholeEvents_isPassedOnAsItIs_notCopied() {
        SseUsageScanner scanner = new SseUsageScanner(JSON, false);
        DataBuffer events = buffer(ROLE + ROLE.replace("\"role\":\"assistant\"", "\"content\":\"Hi\""));
        assertThat(scanner.accept(events, FACTORY)).singleElement().isSameAs(events);
        DataBuffer done = buffer(DONE);
        assertThat(scanner.accept(done, FACTORY)).singleElement().isSameAs(done);
        assertThat(scanner.dataEvents()).isEqualTo(2);
    }

    @Test
    void aPooledBufferAlreadyReadIntoPart_isScannedFromItsReadPosition_andPassedOnAsItIs() {
        SseUsageScanner scanner = new SseUsageScanner(JSON, false);
        NettyDataBufferFactory pooled = new NettyDataBufferFactory(PooledByteBufAllocator.DEFAULT);
        byte[] bytes = ("xx\n\n" + ROLE + ROLE).getBytes(StandardCharsets.UTF_8);
        DataBuffer events = pooled.allocateBuffer(bytes.length).write(bytes);
        events.readPosition(4);                        // the "xx" event was consumed before
        try {
            assertThat(scanner.accept(events, FACTORY)).singleElement().isSameAs(events);
            assertThat(scanner.dataEvents()).isEqualTo(2);
            assertThat(events.readPosition()).as("not consumed by the scan").isEqualTo(4);
        } finally {
            DataBufferUtils.release(events);
        }
    }

    @Test
    void aTokenThatMerelySaysUsage_takesTheCopyingPath_andIsCountedOnce() {
        SseUsageScanner scanner = new SseUsageScanner(JSON, false);
        assertThat(scanner.accept(buffer(TOKEN), FACTORY)).singleElement()
                .satisfies(b -> assertThat(b.toString(StandardCharsets.UTF_8)).isEqualTo(TOKEN));
        assertThat(scanner.dataEvents()).isEqualTo(1);
        assertThat(scanner.usageTokens()).isEqualTo(-1);
    }

    @Test
    void buffersThatMustBeRecut_areCopied_andTheUsageChunkStillDropped() {
        SseUsageScanner scanner = new SseUsageScanner(JSON, false);
        StringBuilder out = new StringBuilder();
        String[] parts = {ROLE + TOKEN.substring(0, 9), TOKEN.substring(9) + TOKEN, USAGE + DONE};
        for (String part : parts) {
            for (DataBuffer b : scanner.accept(buffer(part), FACTORY)) {
                out.append(b.toString(StandardCharsets.UTF_8));
            }
        }
        assertThat(out.toString()).isEqualTo(ROLE + TOKEN + TOKEN + DONE);
        assertThat(scanner.usageTokens()).isEqualTo(13);
        assertThat(scanner.dataEvents()).isEqualTo(3);
        assertThat(scanner.remainder()).isEmpty();
    }

    private static DataBuffer buffer(String s) {
        return FACTORY.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String feed(SseUsageScanner scanner, String stream, int bufferSize) {
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += bufferSize) {
            out.addAll(scanner.accept(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + bufferSize))));
        }
        out.add(scanner.remainder());
        StringBuilder sb = new StringBuilder();
        out.forEach(b -> sb.append(new String(b, StandardCharsets.UTF_8)));
        return sb.toString();
    }
}
