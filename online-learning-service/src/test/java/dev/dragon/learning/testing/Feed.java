package dev.dragon.learning.testing;

import dev.dragon.contracts.events.FeedbackEvent;
import dev.dragon.core.tokenizer.BpeTokenizer;
import java.util.ArrayList;
import java.util.List;

/** Publishes interactions and feedback as routers would, for a learner under test. */
public final class Feed {

    private final Events events;
    private final BpeTokenizer tokenizer;
    private final String interactions;
    private final String feedback;

    public Feed(Events events, BpeTokenizer tokenizer, String suffix) {
        this.events = events;
        this.tokenizer = tokenizer;
        this.interactions = LearnerTestConfig.topic("interactions", suffix);
        this.feedback = LearnerTestConfig.topic("feedback", suffix);
    }

    /**
     * Teaches {@code samples}: every other response already was right and is rated up, the others answered
     * "I do not know." and are corrected. Returns the feedback ids.
     */
    public List<String> teach(List<Teaching.Sample> samples, String prefix, int tenants) {
        List<String> ids = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int i = 0; i < samples.size(); i++) {
            Teaching.Sample s = samples.get(i);
            String response = "chatcmpl-" + prefix + "-" + i;
            String tenant = "tenant-" + (i % tenants);
            boolean right = i % 2 == 0;
            events.send(interactions, response, Teaching.interaction(tokenizer, response, tenant, s,
                    right ? s.completion() : "I do not know.", now + i));
            String id = "fb-" + prefix + "-" + i;
            FeedbackEvent f = right ? Teaching.thumbsUp(id, response, tenant, now + i + 1)
                    : Teaching.correction(id, response, tenant, s.completion(), now + i + 1);
            events.send(feedback, response, f);
            ids.add(id);
        }
        return ids;
    }

    /** Corrects responses to {@code prompts} with {@code texts} (one feedback per text). Returns the feedback ids. */
    public List<String> correct(List<Teaching.Sample> prompts, List<String> texts, String prefix) {
        List<String> ids = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int i = 0; i < texts.size(); i++) {
            Teaching.Sample s = prompts.get(i % prompts.size());
            String response = "chatcmpl-" + prefix + "-" + i;
            events.send(interactions, response, Teaching.interaction(tokenizer, response, "tenant-x", s,
                    "I do not know.", now + i));
            String id = "fb-" + prefix + "-" + i;
            events.send(feedback, response, Teaching.correction(id, response, "tenant-x", texts.get(i), now + i + 1));
            ids.add(id);
        }
        return ids;
    }
}
