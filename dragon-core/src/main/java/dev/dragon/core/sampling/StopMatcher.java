package dev.dragon.core.sampling;

import java.util.List;
import java.util.Objects;

/**
 * Finds stop sequences in streamed text. Feed each decoded chunk to {@link #push}; it returns the
 * text that is safe to emit now. Text that could be the start of a stop sequence is held back until
 * the next chunks decide it, so a stop sequence split across tokens is still found and is never
 * emitted. Generation stops at the first point where any stop sequence is complete (if several end
 * there, the longest counts), however the text was chunked. When generation ends without a stop,
 * {@link #finish()} releases the held text. Not thread-safe: one matcher per sequence.
 */
public final class StopMatcher {

    /**
     * Outcome of one {@link #push}.
     *
     * @param text        text to emit now (possibly empty)
     * @param matchedStop the stop sequence that ended generation, or null while generation goes on
     */
    public record Step(String text, String matchedStop) {

        public boolean stopped() {
            return matchedStop != null;
        }
    }

    private final List<String> stops;
    private final StringBuilder held = new StringBuilder();
    private boolean stopped;

    public StopMatcher(List<String> stops) {
        this.stops = List.copyOf(stops);
        for (String stop : this.stops) {
            if (stop.isEmpty()) {
                throw new IllegalArgumentException("stop sequences must not be empty");
            }
        }
    }

    /** Adds decoded text; returns what can be emitted and whether a stop sequence was reached. */
    public Step push(String text) {
        Objects.requireNonNull(text, "text");
        if (stopped) {
            throw new IllegalStateException("a stop sequence was already matched");
        }
        held.append(text);
        // The stop that completes first wins, as if the text had arrived one char at a time; of stops
        // completing at the same point, the longer one (starting earlier). This makes the outcome
        // independent of how the text was split into chunks.
        int end = -1;
        String matched = null;
        for (String stop : stops) {
            int index = held.indexOf(stop);
            if (index < 0) {
                continue;
            }
            int stopEnd = index + stop.length();
            if (matched == null || stopEnd < end || (stopEnd == end && stop.length() > matched.length())) {
                end = stopEnd;
                matched = stop;
            }
        }
        if (matched != null) {
            stopped = true;
            String emit = held.substring(0, end - matched.length());
            held.setLength(0);
            return new Step(emit, matched);
        }
        int keep = longestStopPrefixSuffix();
        String emit = held.substring(0, held.length() - keep);
        held.delete(0, held.length() - keep);
        return new Step(emit, null);
    }

    /** Ends the stream without a stop: returns the held text, which is then safe to emit. */
    public String finish() {
        String rest = held.toString();
        held.setLength(0);
        return rest;
    }

    public boolean stopped() {
        return stopped;
    }

    /** Number of chars currently held back. */
    public int heldLength() {
        return held.length();
    }

    /** Length of the longest suffix of the held text that is a proper prefix of some stop sequence. */
    private int longestStopPrefixSuffix() {
        int best = 0;
        for (String stop : stops) {
            for (int length = Math.min(stop.length() - 1, held.length()); length > best; length--) {
                if (endsWith(stop, length)) {
                    best = length;
                    break;
                }
            }
        }
        return best;
    }

    private boolean endsWith(String stop, int length) {
        int start = held.length() - length;
        for (int i = 0; i < length; i++) {
            if (held.charAt(start + i) != stop.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
