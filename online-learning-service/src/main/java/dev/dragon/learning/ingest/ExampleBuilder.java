package dev.dragon.learning.ingest;

import dev.dragon.contracts.events.FeedbackEvent;
import dev.dragon.contracts.events.InteractionEvent;
import dev.dragon.core.tokenizer.BpeTokenizer;
import dev.dragon.learning.model.FeatureExtractor;
import java.util.Arrays;

/**
 * Turns a feedback joined with its interaction into a training example:
 * <ul>
 *   <li>a correction (any rating): the interaction's prompt followed by the corrected text, tokenized with the
 *       bundle's tokenizer, and the stop token the prompt's template ends a reply with;</li>
 *   <li>a positive rating without correction: the prompt followed by the completion as it was generated;</li>
 *   <li>anything else teaches nothing ({@link Outcome#NOT_POSITIVE}).</li>
 * </ul>
 * Long examples keep the whole completion (up to half the budget) and the end of the prompt.
 */
public final class ExampleBuilder {

    /** Why a joined feedback gave no example; {@link #label()} is the metric's reason. */
    public enum Outcome {
        NOT_POSITIVE, MALFORMED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** An example, or why there is none. */
    public record Built(Example example, Outcome dropped, String detail) {
    }

    private final BpeTokenizer tokenizer;
    private final FeatureExtractor features;
    private final int maxTokens;
    private final int assistantId;
    private final int[] chatStop;
    private final int[] completionStop;

    public ExampleBuilder(BpeTokenizer tokenizer, FeatureExtractor features, int maxTokens) {
        this.tokenizer = tokenizer;
        this.features = features;
        this.maxTokens = maxTokens;
        this.assistantId = tokenizer.chatTemplate().roleId("assistant");
        this.chatStop = tokenizer.chatTemplate().chatStopIds();
        this.completionStop = tokenizer.chatTemplate().completionStopIds();
    }

    public Built build(InteractionEvent interaction, FeedbackEvent feedback, SourceRef feedbackRef) {
        int[] prompt = interaction.promptTokens();
        if (prompt == null || prompt.length == 0 || !inVocabulary(prompt)
                || interaction.completionTokens() == null || !inVocabulary(interaction.completionTokens())) {
            return new Built(null, Outcome.MALFORMED, "interaction " + interaction.responseId()
                    + " has no prompt or token ids outside the vocabulary");
        }
        Example.Source source;
        int[] completion;
        if (feedback.hasCorrection()) {
            source = Example.Source.CORRECTION;
            int[] stop = prompt[prompt.length - 1] == assistantId ? chatStop : completionStop;
            completion = concat(tokenizer.encode(feedback.correctedCompletion()), new int[] {stop[0]});
        } else if (feedback.rating() > 0) {
            source = Example.Source.POSITIVE;
            completion = interaction.completionTokens();
        } else {
            return new Built(null, Outcome.NOT_POSITIVE, "rating " + feedback.rating() + " without a correction");
        }
        if (completion.length == 0) {
            return new Built(null, Outcome.MALFORMED, "empty completion");
        }
        int keepCompletion = Math.min(completion.length, Math.max(1, maxTokens / 2));
        int keepPrompt = Math.min(prompt.length, maxTokens - keepCompletion);
        int[] tokens = concat(Arrays.copyOfRange(prompt, prompt.length - keepPrompt, prompt.length),
                Arrays.copyOf(completion, keepCompletion));
        var rows = features.rows(tokens, keepPrompt);
        return new Built(new Example(feedback.feedbackId(), feedback.tenant(), source, tokens, keepPrompt, rows,
                feedbackRef), null, null);
    }

    private boolean inVocabulary(int[] ids) {
        int vocab = tokenizer.vocabSize();
        for (int id : ids) {
            if (id < 0 || id >= vocab) {
                return false;
            }
        }
        return true;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
