package dev.dragon.gateway.ratelimit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an OpenAI Server-Sent-Events stream as it passes: cuts it into whole events ({@code data: ...}
 * followed by a blank line), finds the usage chunk ({@code "choices": []} with {@code usage}), counts the
 * other data events, and drops the usage chunk when the client did not ask for it. Not thread-safe: one per
 * response, fed in order.
 */
final class SseUsageScanner {

    /** An event larger than this is passed on in pieces without being inspected. */
    static final int MAX_EVENT_BYTES = 1 << 20;

    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] USAGE = "\"usage\"".getBytes(StandardCharsets.US_ASCII);

    private final JsonMapper mapper;
    private final boolean keepUsageChunk;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private long usageTokens = -1;
    private long dataEvents;

    SseUsageScanner(JsonMapper mapper, boolean keepUsageChunk) {
        this.mapper = mapper;
        this.keepUsageChunk = keepUsageChunk;
    }

    /** Total tokens of the usage chunk, or -1 when none has passed. */
    long usageTokens() {
        return usageTokens;
    }

    /** Data events other than the usage chunk and {@code [DONE]} (about one per generated token). */
    long dataEvents() {
        return dataEvents;
    }

    /** Feeds {@code bytes}; returns the complete events to pass on, in order. */
    List<byte[]> accept(byte[] bytes) {
        pending.writeBytes(bytes);
        byte[] buffered = pending.toByteArray();
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        int end;
        while ((end = eventEnd(buffered, start)) > 0) {
            byte[] event = java.util.Arrays.copyOfRange(buffered, start, end);
            if (inspect(event)) {
                out.add(event);
            }
            start = end;
        }
        pending.reset();
        if (buffered.length - start > MAX_EVENT_BYTES) {
            out.add(java.util.Arrays.copyOfRange(buffered, start, buffered.length));
        } else {
            pending.write(buffered, start, buffered.length - start);
        }
        return out;
    }

    /** What is left when the stream ends (an unterminated last event), or an empty array. */
    byte[] remainder() {
        byte[] rest = pending.toByteArray();
        pending.reset();
        return rest;
    }

    /** Whether to pass the event on. */
    private boolean inspect(byte[] event) {
        if (!startsWith(event, DATA)) {
            return true;
        }
        String data = new String(event, DATA.length, event.length - DATA.length, StandardCharsets.UTF_8).strip();
        if (data.equals("[DONE]")) {
            return true;
        }
        if (indexOf(event, USAGE) >= 0 && data.startsWith("{")) {
            JsonNode chunk = mapper.readTree(data);
            JsonNode usage = chunk.path("usage");
            if (usage.isObject()) {
                usageTokens = usage.path("prompt_tokens").asLong(0) + usage.path("completion_tokens").asLong(0);
                JsonNode choices = chunk.path("choices");
                if (choices.isArray() && choices.isEmpty()) {
                    return keepUsageChunk;
                }
            }
        }
        dataEvents++;
        return true;
    }

    /** Index just past the blank line ending the event that starts at {@code from}, or -1. */
    static int eventEnd(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\n') {
                if (b[i + 1] == '\n') {
                    return i + 2;
                }
                if (b[i + 1] == '\r' && i + 2 < b.length && b[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        return b.length >= prefix.length && indexOf(b, prefix) == 0;
    }

    private static int indexOf(byte[] b, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= b.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (b[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
