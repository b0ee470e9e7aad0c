package dev.dragon.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The fixed, seeded benchmark workload: chat requests of mixed lengths, half of them behind one shared
 * system prompt (what the KV-state cache is for), some repeated verbatim (what the response cache is
 * for), all greedy with {@code max_tokens} 64 and EOS ignored so every request costs the same decode work.
 */
public record Workload(List<Request> requests) {

    public static final int MAX_TOKENS = 64;

    /** One chat request: optional system prompt, the user turn. */
    public record Request(String system, String user) {
    }

    private static final String[] WORDS = {"river", "lantern", "mountain", "teacher", "garden", "winter",
            "stranger", "letter", "kingdom", "sailor", "machine", "morning", "promise", "shadow", "village",
            "painter", "engine", "question", "harbor", "forest", "silence", "market", "window", "journey"};

    /** A shared system prompt of roughly 300 tokens. */
    static final String SYSTEM = systemPrompt();

    /** {@code n} requests from {@code seed}; about 1 in 5 repeats an earlier one. */
    public static Workload of(int n, long seed) {
        Random rnd = new Random(seed);
        List<Request> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i >= 4 && rnd.nextInt(5) == 0) {
                list.add(list.get(rnd.nextInt(list.size())));
                continue;
            }
            String user = switch (rnd.nextInt(3)) {
                case 0 -> "What is " + rnd.nextInt(10, 100) + " + " + rnd.nextInt(10, 100) + "?";
                case 1 -> "Reverse the letters: " + letters(rnd, 4 + rnd.nextInt(5));
                default -> "Tell me a fortune about " + words(rnd, 1 + rnd.nextInt(60)) + ".";
            };
            list.add(new Request(rnd.nextBoolean() ? SYSTEM : null, user));
        }
        return new Workload(List.copyOf(list));
    }

    private static String words(Random rnd, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : " ").append(WORDS[rnd.nextInt(WORDS.length)]);
        }
        return b.toString();
    }

    private static String letters(Random rnd, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append((char) ('a' + rnd.nextInt(26)));
        }
        return b.toString();
    }

    private static String systemPrompt() {
        Random rnd = new Random(7);
        StringBuilder b = new StringBuilder("You are the fortune teller of the village. Answer briefly. ");
        for (int i = 0; i < 12; i++) {
            b.append("Remember the ").append(words(rnd, 8)).append(". ");
        }
        return b.toString();
    }
}
