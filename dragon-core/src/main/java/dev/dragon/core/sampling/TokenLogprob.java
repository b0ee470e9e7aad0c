package dev.dragon.core.sampling;

/** A token and its log-probability (natural log, temperature 1, before any filtering). */
public record TokenLogprob(int token, float logprob) {
}
