package dev.dragon.core.bundle;

import dev.dragon.core.json.JsonField;
import dev.dragon.core.json.JsonFieldException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code golden.json}: PyTorch reference outputs that every serving path must reproduce.
 *
 * @param model          model name
 * @param version        model version
 * @param steps          number of decode steps with recorded logits
 * @param topLogits      logits recorded per step
 * @param cases          prompts with their greedy continuations and per-step top logits and experts
 * @param tokenizerCases texts with their expected token ids
 */
public record GoldenReference(String model, String version, int steps, int topLogits, List<Case> cases,
                              List<TokenizerCase> tokenizerCases) {

    public GoldenReference {
        cases = List.copyOf(cases);
        tokenizerCases = List.copyOf(tokenizerCases);
    }

    /** Kind of prompt. */
    public enum Kind { COMPLETION, CHAT }

    /** A chat message of a chat case. */
    public record Message(String role, String content) {
    }

    /** One of the largest logits at a step. */
    public record TopLogit(int id, float logit) {
    }

    /**
     * One decode step.
     *
     * @param top     the largest logits for predicting the step's continuation token, descending
     * @param experts per layer, the routed experts the gate selected for the last input position, in
     *                descending {@code s + bias} order
     */
    public record Step(List<TopLogit> top, List<List<Integer>> experts) {

        public Step {
            top = List.copyOf(top);
            experts = experts.stream().map(List::copyOf).toList();
        }
    }

    /**
     * One prompt.
     *
     * @param prompt   the completion prompt (null for chat cases)
     * @param messages the chat messages (empty for completion cases)
     */
    public record Case(String name, Kind kind, String prompt, List<Message> messages, List<Integer> promptIds,
                       List<Integer> greedyIds, String greedyText, List<Step> steps) {

        public Case {
            messages = List.copyOf(messages);
            promptIds = List.copyOf(promptIds);
            greedyIds = List.copyOf(greedyIds);
            steps = List.copyOf(steps);
        }

        public int[] promptIdArray() {
            return promptIds.stream().mapToInt(Integer::intValue).toArray();
        }

        public int[] greedyIdArray() {
            return greedyIds.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /** A text and the ids the tokenizer must produce for it. */
    public record TokenizerCase(String text, List<Integer> ids) {

        public TokenizerCase {
            ids = List.copyOf(ids);
        }

        public int[] idArray() {
            return ids.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /** Reads a golden file; problems are a {@link BundleException} naming the file and field. */
    public static GoldenReference read(Path file) {
        String name = file.getFileName().toString();
        try {
            return parse(Files.readAllBytes(file), name);
        } catch (IOException e) {
            throw new BundleException(name, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Parses golden JSON; {@code fileName} is used in error messages. */
    public static GoldenReference parse(byte[] json, String fileName) {
        try {
            JsonField root = JsonField.parse(json);
            return new GoldenReference(
                    root.get("model").string(),
                    root.get("version").string(),
                    root.get("steps").intAtLeast(0),
                    root.get("top_logits").intAtLeast(0),
                    root.get("cases").elements().stream().map(GoldenReference::goldenCase).toList(),
                    root.get("tokenizer_cases").elements().stream()
                            .map(t -> new TokenizerCase(t.get("text").string(), ids(t.get("ids"))))
                            .toList());
        } catch (JsonFieldException e) {
            throw new BundleException(fileName, e.getMessage(), e);
        }
    }

    private static Case goldenCase(JsonField c) {
        JsonField kindField = c.get("kind");
        Kind kind = switch (kindField.string()) {
            case "completion" -> Kind.COMPLETION;
            case "chat" -> Kind.CHAT;
            default -> throw kindField.fail("expected 'completion' or 'chat', got '" + kindField.string() + "'");
        };
        String prompt = kind == Kind.COMPLETION ? c.get("prompt").string() : null;
        List<Message> messages = kind == Kind.CHAT
                ? c.get("messages").elements().stream()
                        .map(m -> new Message(m.get("role").string(), m.get("content").string())).toList()
                : List.of();
        return new Case(c.get("name").string(), kind, prompt, messages, ids(c.get("prompt_ids")),
                ids(c.get("greedy_ids")), c.get("greedy_text").string(),
                c.get("steps").elements().stream().map(GoldenReference::step).toList());
    }

    private static Step step(JsonField s) {
        List<TopLogit> top = s.get("top").elements().stream().map(pair -> {
            List<JsonField> idAndLogit = pair.elements(2);
            return new TopLogit(idAndLogit.get(0).intAtLeast(0), (float) idAndLogit.get(1).doubleValue());
        }).toList();
        List<List<Integer>> experts = s.get("experts").elements().stream().map(GoldenReference::ids).toList();
        return new Step(top, experts);
    }

    private static List<Integer> ids(JsonField array) {
        return array.elements().stream().map(id -> id.intAtLeast(0)).toList();
    }
}
