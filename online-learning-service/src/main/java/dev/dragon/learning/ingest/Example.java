package dev.dragon.learning.ingest;

import dev.dragon.learning.pc.Rows;

/**
 * One training example built from a feedback joined with its interaction.
 *
 * @param feedbackId  the feedback it came from
 * @param tenant      the tenant that gave it
 * @param source      {@code positive} (a well-rated completion) or {@code correction} (the corrected text)
 * @param tokens      prompt followed by the completion to learn
 * @param firstTarget index in {@code tokens} of the first completion token (the rows predict from there on)
 * @param rows        PC-layer inputs and targets of the completion tokens
 * @param feedbackRef where the feedback record was read (held until a decision covers it)
 */
public record Example(String feedbackId, String tenant, Source source, int[] tokens, int firstTarget, Rows rows,
                      SourceRef feedbackRef) {

    public enum Source {
        POSITIVE, CORRECTION;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
