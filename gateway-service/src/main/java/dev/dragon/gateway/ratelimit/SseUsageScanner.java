package dev.dragon.gateway.ratelimit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an OpenAI Server-Sent-Events stream as it passes: cuts it into whole events ({@code data: ...}
 * followed by a blank line), finds the usage chunk ({@code "choices": []} with {@code usage}), counts the
 * other data events, and drops the usage chunk when the client did not ask for it. A buffer that holds whole
 * events only, none of them a usage chunk (the router flushes one event at a time, so nearly every buffer), is
 * scanned in place and passed on as it is; only the rest (an event split across buffers, the usage chunk) is
 * copied out and re-cut. Not thread-safe: one per response, fed in order.
 */
final class SseUsageScanner {

    /** An event larger than this is passed on in pieces without being inspected. */
    static final int MAX_EVENT_BYTES = 1 << 20;
    /** Buffers larger than this take the copying path rather than growing the scratch array. */
    private static final int MAX_SCRATCH_BYTES = 256 * 1024;

    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] USAGE = "\"usage\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

    private final JsonMapper mapper;
    private final boolean keepUsageChunk;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private byte[] scratch = new byte[0];
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

    /**
     * Feeds {@code buffer} (whose ownership passes to the scanner); returns what to pass on, in order: the
     * buffer itself when it holds whole events that need no change, else copies of the complete events.
     */
    List<DataBuffer> accept(DataBuffer buffer, DataBufferFactory factory) {
        if (pending.size() == 0) {
            long events = wholeEventsWithoutUsage(buffer);
            if (events >= 0) {
                dataEvents += events;
                return List.of(buffer);
            }
        }
        List<byte[]> events = accept(DataBuffers.drain(buffer));
        List<DataBuffer> out = new ArrayList<>(events.size());
        for (byte[] event : events) {
            out.add(factory.wrap(event));
        }
        return out;
    }

    /**
     * The data events in {@code buffer} when it is a run of whole events of which none may be the usage chunk,
     * else -1 (then the caller takes the copying path). The buffer is not consumed: its bytes are copied in
     * bulk into a scratch array and searched there (per-byte reads of a pooled direct buffer check its
     * reference count and bounds on every byte, which showed in the gateway's profile).
     */
    private long wholeEventsWithoutUsage(DataBuffer buffer) {
        int n = buffer.readableByteCount();
        if (n > MAX_SCRATCH_BYTES) {
            return -1;
        }
        if (scratch.length < n) {
            scratch = new byte[Math.max(n, Math.min(MAX_SCRATCH_BYTES, 2 * scratch.length))];
        }
        buffer.toByteBuffer(buffer.readPosition(), ByteBuffer.wrap(scratch), 0, n);
        return wholeEventsWithoutUsage(scratch, n);
    }

    /** Like {@link #wholeEventsWithoutUsage(DataBuffer)}, on {@code b[0, limit)}. */
    static long wholeEventsWithoutUsage(byte[] b, int limit) {
        int start = 0;
        long dataEvents = 0;
        while (start < limit) {
            int end = eventEnd(b, start, limit);
            if (end < 0 || contains(b, start, end, USAGE)) {
                return -1;
            }
            if (regionMatches(b, start, end, DATA) && !isDone(b, start + DATA.length, end)) {
                dataEvents++;
            }
            start = end;
        }
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
        if (DataBuffers.indexOf(event, USAGE) >= 0 && data.startsWith("{")) {
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
        return eventEnd(b, from, b.length);
    }

    /** Like {@link #eventEnd(byte[], int)}, on {@code b[from, limit)}. */
    private static int eventEnd(byte[] b, int from, int limit) {
        for (int i = from; i + 1 < limit; i++) {
            if (b[i] == '\n') {
                byte next = b[i + 1];
                if (next == '\n') {
                    return i + 2;
                }
                if (next == '\r' && i + 2 < limit && b[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }

    private static boolean contains(byte[] b, int from, int end, byte[] needle) {
        for (int i = from; i + needle.length <= end; i++) {
            if (b[i] == needle[0] && regionMatches(b, i, end, needle)) {
                return true;
            }
        }
        return false;
    }

    private static boolean regionMatches(byte[] b, int at, int end, byte[] needle) {
        return at + needle.length <= end && Arrays.equals(b, at, at + needle.length, needle, 0, needle.length);
    }

    /** Whether the data of an event, from {@code from} to its end, is {@code [DONE]} (blanks around it). */
    private static boolean isDone(byte[] b, int from, int end) {
        int i = from;
        while (i < end && isBlank(b[i])) {
            i++;
        }
        if (!regionMatches(b, i, end, DONE)) {
            return false;
        }
        for (i += DONE.length; i < end; i++) {
            if (!isBlank(b[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBlank(byte c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        return b.length >= prefix.length && Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length);
    }
}
