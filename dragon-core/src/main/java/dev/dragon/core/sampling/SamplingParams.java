package dev.dragon.core.sampling;

import java.util.List;

/**
 * How to pick tokens for one request. The canonical constructor validates every field and throws a
 * {@link SamplingParamException} naming it (with the API's snake_case name). The number of stop
 * sequences is a server policy: {@link Builder#maxStopSequences(int)} (default
 * {@value #DEFAULT_MAX_STOP_SEQUENCES}) enforces it.
 *
 * @param temperature  0 = greedy, otherwise softmax temperature ({@code >= 0})
 * @param topP         nucleus mass in (0, 1]; 1 = off
 * @param topK         keep the k most likely tokens; 0 = off
 * @param seed         random seed for reproducible sampling; null = unseeded
 * @param maxTokens    most tokens to generate ({@code >= 1})
 * @param stop         strings that end generation (never emitted); each non-empty
 * @param logprobs     whether to report the chosen token's logprob
 * @param topLogprobs  how many most likely alternatives to report per token, 0..20 (needs logprobs)
 */
public record SamplingParams(double temperature, double topP, int topK, Long seed, int maxTokens,
                             List<String> stop, boolean logprobs, int topLogprobs) {

    public static final int DEFAULT_MAX_STOP_SEQUENCES = 4;
    public static final int MAX_TOP_LOGPROBS = 20;
    public static final int DEFAULT_MAX_TOKENS = 256;

    public SamplingParams {
        if (!Double.isFinite(temperature) || temperature < 0) {
            throw new SamplingParamException("temperature", "must be a finite number >= 0, got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new SamplingParamException("top_p", "must be in (0, 1], got " + topP);
        }
        if (topK < 0) {
            throw new SamplingParamException("top_k", "must be >= 0 (0 = off), got " + topK);
        }
        if (maxTokens < 1) {
            throw new SamplingParamException("max_tokens", "must be >= 1, got " + maxTokens);
        }
        stop = stop == null ? List.of() : stop;
        for (int i = 0; i < stop.size(); i++) {
            if (stop.get(i) == null || stop.get(i).isEmpty()) {
                throw new SamplingParamException("stop", "entry " + i + " must be a non-empty string");
            }
        }
        stop = List.copyOf(stop);
        if (topLogprobs < 0 || topLogprobs > MAX_TOP_LOGPROBS) {
            throw new SamplingParamException("top_logprobs", "must be in [0, " + MAX_TOP_LOGPROBS + "], got "
                    + topLogprobs);
        }
        if (topLogprobs > 0 && !logprobs) {
            throw new SamplingParamException("top_logprobs", "requires logprobs to be true");
        }
    }

    /** Greedy decoding with default limits. */
    public static SamplingParams greedy() {
        return builder().temperature(0).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these values. */
    public Builder toBuilder() {
        return new Builder().maxStopSequences(Math.max(DEFAULT_MAX_STOP_SEQUENCES, stop.size()))
                .temperature(temperature).topP(topP).topK(topK).seed(seed).maxTokens(maxTokens)
                .stop(stop).logprobs(logprobs).topLogprobs(topLogprobs);
    }

    public boolean isGreedy() {
        return temperature == 0 || topK == 1;
    }

    /** Builder with OpenAI-like defaults: temperature 1, top_p 1, top_k off, 256 tokens, no stop strings. */
    public static final class Builder {
        private double temperature = 1;
        private double topP = 1;
        private int topK;
        private Long seed;
        private int maxTokens = DEFAULT_MAX_TOKENS;
        private List<String> stop = List.of();
        private boolean logprobs;
        private int topLogprobs;
        private int maxStopSequences = DEFAULT_MAX_STOP_SEQUENCES;

        private Builder() {
        }

        public Builder temperature(double value) {
            temperature = value;
            return this;
        }

        public Builder topP(double value) {
            topP = value;
            return this;
        }

        public Builder topK(int value) {
            topK = value;
            return this;
        }

        public Builder seed(Long value) {
            seed = value;
            return this;
        }

        public Builder maxTokens(int value) {
            maxTokens = value;
            return this;
        }

        public Builder stop(List<String> value) {
            stop = value;
            return this;
        }

        public Builder logprobs(boolean value) {
            logprobs = value;
            return this;
        }

        public Builder topLogprobs(int value) {
            topLogprobs = value;
            return this;
        }

        /** Server policy: the most stop sequences a request may give. */
        public Builder maxStopSequences(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("maxStopSequences must be >= 0, got " + value);
            }
            maxStopSequences = value;
            return this;
        }

        /** Validates and builds; throws {@link SamplingParamException} naming the first bad field. */
        public SamplingParams build() {
            if (stop != null && stop.size() > maxStopSequences) {
                throw new SamplingParamException("stop", "at most " + maxStopSequences + " sequences, got " + stop.size());
            }
            return new SamplingParams(temperature, topP, topK, seed, maxTokens, stop, logprobs, topLogprobs);
        }
    }
}
