package dev.dragon.router.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.dragon.contracts.events.FeedbackEvent;
import dev.dragon.contracts.openai.FeedbackRequest;
import dev.dragon.contracts.openai.OpenAiJson;
import dev.dragon.contracts.openai.RequestLimits;
import dev.dragon.contracts.openai.RequestValidator;
import dev.dragon.contracts.openai.ViolationException;
import dev.dragon.router.error.InvalidRequestException;
import dev.dragon.support.web.DragonHeaders;
import dev.dragon.support.web.RequestIdWebFilter;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@code POST /v1/feedback}: a rating of an earlier response ({@code response_id}, {@code rating} -1|0|1,
 * optional {@code corrected_completion}). The tenant is the gateway's {@code x-dragon-tenant} header
 * ({@code anonymous} without one). Answers 202 once the event is queued for Kafka: publishing never blocks nor
 * fails the call. Invalid bodies are 400s with an OpenAI error naming the field (mapped by the router's error
 * handler).
 */
@RestController
public class FeedbackController {

    /** What a router's response ids look like: {@code chatcmpl-…}, {@code cmpl-…}; letters, digits, - and _. */
    static final Pattern RESPONSE_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    static final String ANONYMOUS = "anonymous";

    /** The 202 body. */
    public record Accepted(String id, String object, @JsonProperty("response_id") String responseId, String status) {
    }

    private final EventPublisher publisher;
    private final OpenAiJson json;
    private final RequestValidator validator = new RequestValidator(new RequestLimits(1, 0));
    private final int maxCorrectionChars;

    public FeedbackController(EventPublisher publisher, OpenAiJson json, int maxCorrectionChars) {
        this.publisher = publisher;
        this.json = json;
        this.maxCorrectionChars = maxCorrectionChars;
    }

    @PostMapping(path = "/v1/feedback", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<byte[]> feedback(@RequestBody(required = false) byte[] body,
                                           @RequestHeader(name = DragonHeaders.TENANT, required = false) String tenant,
                                           ServerWebExchange exchange) {
        FeedbackRequest request = parse(body);
        validator.check(request).ifPresent(v -> {
            throw new InvalidRequestException(v);
        });
        if (!RESPONSE_ID.matcher(request.responseId()).matches()) {
            throw new InvalidRequestException("response_id", "Invalid 'response_id': expected the id of a response "
                    + "(letters, digits, '-' and '_', at most 128 characters).", "invalid_value");
        }
        String correction = request.correctedCompletion();
        if (correction != null && correction.length() > maxCorrectionChars) {
            throw new InvalidRequestException("corrected_completion", "Invalid 'corrected_completion': "
                    + correction.length() + " characters, at most " + maxCorrectionChars + " are accepted.",
                    "string_above_max_length");
        }
        String feedbackId = "fb-" + UUID.randomUUID();
        publisher.publishFeedback(FeedbackEvent.of(feedbackId, request.responseId(),
                RequestIdWebFilter.requestId(exchange), tenant == null || tenant.isBlank() ? ANONYMOUS : tenant,
                request.rating(), correction, System.currentTimeMillis()));
        return ResponseEntity.status(HttpStatus.ACCEPTED).contentType(MediaType.APPLICATION_JSON)
                .body(json.write(new Accepted(feedbackId, "feedback", request.responseId(), "accepted")));
    }

    private FeedbackRequest parse(byte[] body) {
        try {
            return json.read(body, FeedbackRequest.class);
        } catch (ViolationException e) {
            throw new InvalidRequestException(e.violation(), e);
        }
    }
}
