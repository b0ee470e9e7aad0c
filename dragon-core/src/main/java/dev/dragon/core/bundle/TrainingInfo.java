package dev.dragon.core.bundle;

/** How the shipped weights were trained (informational). */
public record TrainingInfo(long seed, long steps, long tokens, double seconds, String corpus) {
}
