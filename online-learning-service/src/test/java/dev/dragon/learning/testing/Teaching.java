package dev.dragon.learning.testing;

import dev.dragon.contracts.events.FeedbackEvent;
import dev.dragon.contracts.events.InteractionEvent;
import dev.dragon.core.tokenizer.BpeTokenizer;
import dev.dragon.core.tokenizer.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Material the base model cannot know, of the test's own making: a ledger format invented here. A user asks to
 * log a delivery; the answer is always {@code LEDGER>> item=<item> | qty=<n> | stamp=ZORBLAX-VORPLEX <<END}.
 * Items and quantities vary; the format and the stamp are the thing to learn.
 */
public final class Teaching {

    private static final String[] ITEMS = {"turnips", "lanterns", "copper nails", "wool blankets", "river stones",
        "glass beads", "oak barrels", "salt blocks", "iron hinges", "linen sheets", "clay pots", "pine resin",
        "goat cheese", "silver spoons", "candle wax", "barley sacks", "rope coils", "tin cups", "leather boots",
        "honey jars", "fishing nets", "brass bells", "wheat flour", "apple crates"};

    /** One example: the chat prompt and the completion the learner should learn. */
    public record Sample(String item, int qty, int[] promptIds, String completion) {
    }

    private Teaching() {
    }

    public static String completion(String item, int qty) {
        return "LEDGER>> item=" + item + " | qty=" + qty + " | stamp=ZORBLAX-VORPLEX <<END";
    }

    /** {@code n} samples from {@code seed}; different seeds give different (item, qty) draws. */
    public static List<Sample> samples(BpeTokenizer tokenizer, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String item = ITEMS[r.nextInt(ITEMS.length)];
            int qty = 2 + r.nextInt(97);
            int[] prompt = tokenizer.chatTemplate().chatPrompt(List.of(
                    new ChatMessage("user", "Log the delivery of " + qty + " " + item + ".")));
            out.add(new Sample(item, qty, prompt, completion(item, qty)));
        }
        return out;
    }

    /** The tokens a router would record for {@code completion}: its encoding and the end-of-reply token. */
    public static int[] completionIds(BpeTokenizer tokenizer, String completion) {
        int[] text = tokenizer.encode(completion);
        int[] out = java.util.Arrays.copyOf(text, text.length + 1);
        out[text.length] = tokenizer.chatTemplate().chatStopIds()[0];
        return out;
    }

    /** The interaction a router would publish for {@code s} answered with {@code completion}. */
    public static InteractionEvent interaction(BpeTokenizer tokenizer, String responseId, String tenant, Sample s,
                                               String answered, long ts) {
        return InteractionEvent.of(responseId, "req-" + responseId, tenant, "dragon-moe-mini", "1.0.0", "0",
                s.promptIds(), completionIds(tokenizer, answered), 120, null, ts);
    }

    /** Positive feedback on a response that already was right. */
    public static FeedbackEvent thumbsUp(String feedbackId, String responseId, String tenant, long ts) {
        return FeedbackEvent.of(feedbackId, responseId, "req-" + feedbackId, tenant, FeedbackEvent.POSITIVE, null, ts);
    }

    /** Negative feedback with the completion it should have been. */
    public static FeedbackEvent correction(String feedbackId, String responseId, String tenant, String text, long ts) {
        return FeedbackEvent.of(feedbackId, responseId, "req-" + feedbackId, tenant, FeedbackEvent.NEGATIVE, text, ts);
    }
}
