package dev.dragon.platform.chaos;

/**
 * One request the load sent: when it started and ended ({@link System#nanoTime()}), whether it was served whole,
 * and if not how it failed.
 *
 * @param kind       {@code stream} (a streaming chat completion) or {@code feedback}
 * @param startNanos when the request was sent
 * @param endNanos   when its last byte (or its failure) arrived
 * @param ok         a stream that ended with {@code [DONE]} and no error event; a feedback call answered 202
 * @param status     HTTP status, 0 when there was no response
 * @param detail     empty when ok; else the error body, error event or exception
 * @param responseId the response's {@code id} (stream), or the rated response id (feedback); null if unknown
 */
public record Outcome(String kind, long startNanos, long endNanos, boolean ok, int status, String detail,
                      String responseId) {

    public double latencySeconds() {
        return (endNanos - startNanos) / 1e9;
    }

    /** True when the request was in progress at some moment in {@code [from, to]}. */
    public boolean overlaps(long from, long to) {
        return startNanos <= to && endNanos >= from;
    }
}
