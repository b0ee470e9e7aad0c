package dev.dragon.router.api;

import dev.dragon.contracts.openai.ChatCompletionRequest;
import dev.dragon.contracts.openai.CompletionRequest;
import dev.dragon.contracts.openai.GenerationParameters;
import dev.dragon.core.tokenizer.ChatMessage;
import dev.dragon.router.cache.ResponseCacheKey;
import dev.dragon.router.cache.ResponseCachePolicy;
import dev.dragon.core.sampling.SamplingParams;
import java.util.Optional;

/**
 * The response-cache key of an API request, when it is eligible ({@link ResponseCachePolicy}: deterministic
 * and not opted out): tenant, model version, the adapter version new requests get now, the prompt as sent,
 * the effective sampling parameters and the Dragon options that change the answer.
 */
final class ResponseKeys {

    /** Starts a key from one endpoint's request. */
    @FunctionalInterface
    interface Start<R> {
        ResponseCacheKey.Builder of(R request, String tenant, String modelVersion, String adapterVersion);
    }

    static final Start<ChatCompletionRequest> CHAT = (r, tenant, model, adapter) -> ResponseCacheKey.chat(tenant, model,
            adapter, r.messages().stream().map(m -> new ChatMessage(m.role(), m.content())).toList());

    static final Start<CompletionRequest> COMPLETION = (r, tenant, model, adapter) ->
            ResponseCacheKey.completion(tenant, model, adapter, r.prompt());

    private ResponseKeys() {
    }

    /** @param sampling the request's effective sampling parameters (after the router's defaults) */
    static <R extends GenerationParameters> Optional<ResponseCacheKey> of(Start<R> start, R request,
            SamplingParams sampling, String tenant, String modelVersion, String adapterVersion) {
        if (!ResponseCachePolicy.eligible(sampling, !request.dragonOrDefault().cacheAllowed())) {
            return Optional.empty();
        }
        return Optional.of(start.of(request, tenant, modelVersion, adapterVersion)
                .sampling(sampling)
                .option("return_experts", request.dragonOrDefault().wantsExperts())
                .option("ignore_eos", request.dragonOrDefault().ignoresEos())
                .build());
    }
}
