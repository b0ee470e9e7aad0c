package dev.dragon.contracts.openai;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks parsed requests against the OpenAI API's rules and a server's {@link RequestLimits}. Returns the
 * first {@link Violation} (the field at fault and why), or empty. Checks that need the model (prompt length in
 * tokens, the served model id) are the server's.
 */
public final class RequestValidator {

    /** Roles a chat message may have ({@code developer} is OpenAI's newer name for {@code system}). */
    public static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant");

    private final RequestLimits limits;

    public RequestValidator(RequestLimits limits) {
        this.limits = limits;
    }

    public RequestLimits limits() {
        return limits;
    }

    public Optional<Violation> check(ChatCompletionRequest request) {
        return first(
                () -> required(request.model(), "model"),
                () -> messages(request.messages()),
                () -> common(request),
                () -> chatLogprobs(request));
    }

    public Optional<Violation> check(CompletionRequest request) {
        return first(
                () -> required(request.model(), "model"),
                () -> request.prompt() == null ? missing("prompt") : null,
                () -> common(request),
                () -> range(request.logprobs(), 0, RequestLimits.MAX_COMPLETION_LOGPROBS, "logprobs"));
    }

    public Optional<Violation> check(FeedbackRequest request) {
        return first(
                () -> required(request.responseId(), "response_id"),
                () -> request.rating() == null ? missing("rating") : range(request.rating(), -1, 1, "rating"),
                () -> request.correctedCompletion() != null && request.correctedCompletion().isEmpty()
                        ? new Violation("corrected_completion", "Invalid 'corrected_completion': empty string. "
                                + "Leave it out, or give the text the completion should have been.", "invalid_value")
                        : null);
    }

    private Violation common(GenerationParameters p) {
        Violation v = decimal(p.temperature(), 0, false, 2, "temperature");
        if (v == null) {
            v = decimal(p.topP(), 0, true, 1, "top_p");
        }
        if (v == null && p.n() != null && p.n() != 1) {
            v = new Violation("n", "Invalid 'n': only n = 1 is supported, got " + p.n() + ".", "invalid_value");
        }
        if (v == null) {
            v = range(p.requestedMaxTokens(), 1, limits.maxTokensCap(), p.maxTokensParam());
        }
        if (v == null) {
            v = stop(p.stop());
        }
        if (v == null && p.streamOptions() != null && !p.streaming()) {
            v = new Violation("stream_options", "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
                    "invalid_value");
        }
        return v;
    }

    private Violation messages(List<ChatMessage> messages) {
        if (messages == null) {
            return missing("messages");
        }
        if (messages.isEmpty()) {
            return new Violation("messages", "Invalid 'messages': empty array. Expected an array with minimum length 1, "
                    + "but got an empty array instead.", "empty_array");
        }
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            String at = "messages[" + i + "]";
            if (m == null) {
                return new Violation(at, "Invalid type for '" + at + "': expected an object, but got null instead.",
                        "invalid_type");
            }
            if (m.role() == null) {
                return missing(at + ".role");
            }
            if (!ROLES.contains(m.role())) {
                return new Violation(at + ".role", "Invalid '" + at + ".role': unknown role '" + m.role()
                        + "'. Supported values are: 'system', 'developer', 'user' and 'assistant'.", "invalid_value");
            }
            if (m.content() == null) {
                return missing(at + ".content");
            }
        }
        return null;
    }

    private Violation stop(List<String> stop) {
        if (stop == null) {
            return null;
        }
        if (stop.size() > limits.maxStopSequences()) {
            return new Violation("stop", "Invalid 'stop': array too long. Expected an array with maximum length "
                    + limits.maxStopSequences() + ", but got an array with length " + stop.size() + " instead.",
                    "array_above_max_length");
        }
        for (int i = 0; i < stop.size(); i++) {
            if (stop.get(i) == null || stop.get(i).isEmpty()) {
                return new Violation("stop[" + i + "]", "Invalid 'stop[" + i + "]': expected a non-empty string.",
                        "invalid_value");
            }
        }
        return null;
    }

    private static Violation chatLogprobs(ChatCompletionRequest r) {
        Violation v = range(r.topLogprobs(), 0, RequestLimits.MAX_TOP_LOGPROBS, "top_logprobs");
        if (v == null && r.topLogprobs() != null && r.topLogprobs() > 0 && !r.wantsLogprobs()) {
            v = new Violation("top_logprobs", "Invalid 'top_logprobs': 'logprobs' must be set to true when "
                    + "'top_logprobs' is used.", "invalid_value");
        }
        return v;
    }

    private static Violation required(String value, String param) {
        return value == null || value.isBlank() ? missing(param) : null;
    }

    private static Violation missing(String param) {
        return new Violation(param, "Missing required parameter: '" + param + "'.", "missing_required_parameter");
    }

    /** {@code value} in [min, max] (or (min, max] when {@code minExclusive}); null passes. */
    private static Violation decimal(Double value, double min, boolean minExclusive, double max, String param) {
        if (value == null) {
            return null;
        }
        if (value < min || (minExclusive && value == min)) {
            return new Violation(param, "Invalid '" + param + "': decimal below minimum value. Expected a value "
                    + (minExclusive ? "> " : ">= ") + fmt(min) + ", but got " + value + " instead.",
                    "decimal_below_min_value");
        }
        if (value > max) {
            return new Violation(param, "Invalid '" + param + "': decimal above maximum value. Expected a value <= "
                    + fmt(max) + ", but got " + value + " instead.", "decimal_above_max_value");
        }
        return null;
    }

    private static Violation range(Integer value, int min, int max, String param) {
        if (value == null) {
            return null;
        }
        if (value < min) {
            return new Violation(param, "Invalid '" + param + "': integer below minimum value. Expected a value >= "
                    + min + ", but got " + value + " instead.", "integer_below_min_value");
        }
        if (value > max) {
            return new Violation(param, "Invalid '" + param + "': integer above maximum value. Expected a value <= "
                    + max + ", but got " + value + " instead.", "integer_above_max_value");
        }
        return null;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    @SafeVarargs
    private static Optional<Violation> first(java.util.function.Supplier<Violation>... checks) {
        for (var check : checks) {
            Violation v = check.get();
            if (v != null) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
