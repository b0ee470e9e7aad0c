package dev.dragon.router.scheduling;

import dev.dragon.contracts.openai.ChatCompletionRequest;
import dev.dragon.contracts.openai.CompletionRequest;
import dev.dragon.contracts.openai.GenerationParameters;
import dev.dragon.contracts.openai.RequestLimits;
import dev.dragon.contracts.openai.RequestValidator;
import dev.dragon.contracts.openai.Violation;
import dev.dragon.core.sampling.SamplingParamException;
import dev.dragon.core.sampling.SamplingParams;
import dev.dragon.core.tokenizer.ChatMessage;
import dev.dragon.core.tokenizer.ChatTemplate;
import dev.dragon.router.error.InvalidRequestException;
import dev.dragon.router.error.ModelNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Validates API requests and maps them to engine terms: the chat template or completion prompt, the stop
 * tokens of the endpoint, and {@link SamplingParams} with this server's defaults and limits. Checking
 * ({@code checkChat}, {@code checkCompletion}) is cheap; mapping tokenizes, so call it off the event loop.
 */
public final class RequestMapper {

    /** OpenAI's defaults when a request leaves them out. */
    private static final double DEFAULT_TEMPERATURE = 1.0;
    private static final double DEFAULT_TOP_P = 1.0;

    private final ChatTemplate template;
    private final RequestValidator validator;
    private final String servedModel;
    private final int maxPromptTokens;
    private final int defaultMaxTokens;

    /**
     * @param template         the bundle's chat template
     * @param servedModel      the only model id accepted
     * @param limits           {@code max_tokens} cap and stop-sequence limit
     * @param maxPromptTokens  longest prompt accepted, template included
     * @param defaultMaxTokens {@code max_tokens} when a request has none
     */
    public RequestMapper(ChatTemplate template, String servedModel, RequestLimits limits, int maxPromptTokens,
                         int defaultMaxTokens) {
        this.template = template;
        this.validator = new RequestValidator(limits);
        this.servedModel = servedModel;
        this.maxPromptTokens = maxPromptTokens;
        this.defaultMaxTokens = defaultMaxTokens;
    }

    /** Validates and maps a chat request, tokenizing its prompt. */
    public PreparedGeneration chat(ChatCompletionRequest request) {
        return chat(request, checkChat(request));
    }

    /**
     * Validates a chat request without tokenizing it: fields, model, roles. Cheap enough for the event loop.
     *
     * @return its effective sampling parameters
     * @throws InvalidRequestException naming the field, or {@link ModelNotFoundException}
     */
    public SamplingParams checkChat(ChatCompletionRequest request) {
        check(validator.check(request));
        checkModel(request.model());
        messages(request);
        return sampling(request);
    }

    /** A chat request that passed {@link #checkChat}, with its prompt tokenized (CPU work: off the event loop). */
    public PreparedGeneration chat(ChatCompletionRequest request, SamplingParams checked) {
        int[] prompt = template.chatPrompt(messages(request));
        checkLength(prompt, "messages");
        return new PreparedGeneration(prompt, stops(request, template.chatStopIds()), checked,
                request.dragonOrDefault().wantsExperts());
    }

    /** Validates and maps a completion request, tokenizing its prompt. */
    public PreparedGeneration completion(CompletionRequest request) {
        return completion(request, checkCompletion(request));
    }

    /**
     * Validates a completion request without tokenizing it.
     *
     * @return its effective sampling parameters
     * @throws InvalidRequestException naming the field, or {@link ModelNotFoundException}
     */
    public SamplingParams checkCompletion(CompletionRequest request) {
        check(validator.check(request));
        checkModel(request.model());
        return sampling(request);
    }

    /** A completion request that passed {@link #checkCompletion}, with its prompt tokenized. */
    public PreparedGeneration completion(CompletionRequest request, SamplingParams checked) {
        int[] prompt = template.completionPrompt(request.prompt());
        checkLength(prompt, "prompt");
        return new PreparedGeneration(prompt, stops(request, template.completionStopIds()), checked,
                request.dragonOrDefault().wantsExperts());
    }

    /** The request's messages in the template's roles ({@code developer} is {@code system}). */
    private List<ChatMessage> messages(ChatCompletionRequest request) {
        List<ChatMessage> messages = new ArrayList<>(request.messages().size());
        for (int i = 0; i < request.messages().size(); i++) {
            var m = request.messages().get(i);
            String role = "developer".equals(m.role()) ? "system" : m.role();
            if (!template.roles().contains(role)) {
                throw new InvalidRequestException("messages[" + i + "].role", "Invalid 'messages[" + i + "].role': "
                        + "this model has no '" + m.role() + "' role. Supported values are: "
                        + String.join(", ", template.roles()) + ".", "invalid_value");
            }
            messages.add(new ChatMessage(role, m.content()));
        }
        return messages;
    }

    private SamplingParams sampling(GenerationParameters p) {
        try {
            return SamplingParams.builder()
                    .maxStopSequences(validator.limits().maxStopSequences())
                    .temperature(p.temperature() != null ? p.temperature() : DEFAULT_TEMPERATURE)
                    .topP(p.topP() != null ? p.topP() : DEFAULT_TOP_P)
                    .seed(p.seed())
                    .maxTokens(p.requestedMaxTokens() != null ? p.requestedMaxTokens() : defaultMaxTokens)
                    .stop(p.stop())
                    .logprobs(p.wantsLogprobs())
                    .topLogprobs(p.topLogprobCount())
                    .build();
        } catch (SamplingParamException e) {      // the validator should have caught it; name the field anyway
            throw new InvalidRequestException(new Violation(e.field(), "Invalid '" + e.field() + "': " + e.getMessage(),
                    "invalid_value"), e);
        }
    }

    private static int[] stops(GenerationParameters p, int[] endpointStops) {
        return p.dragonOrDefault().ignoresEos() ? new int[0] : endpointStops;
    }

    private void checkModel(String model) {
        if (!servedModel.equals(model)) {
            throw new ModelNotFoundException(model);
        }
    }

    private void checkLength(int[] prompt, String param) {
        if (prompt.length > maxPromptTokens) {
            throw new InvalidRequestException(param, "This model's maximum prompt length is " + maxPromptTokens
                    + " tokens. However, your " + param + " resulted in " + prompt.length + " tokens. Please reduce the "
                    + "length of the " + param + ".", "context_length_exceeded");
        }
    }

    private static void check(Optional<Violation> violation) {
        violation.ifPresent(v -> {
            throw new InvalidRequestException(v);
        });
    }
}
