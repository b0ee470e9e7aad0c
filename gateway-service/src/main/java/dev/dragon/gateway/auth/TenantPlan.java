package dev.dragon.gateway.auth;

import java.util.List;

/**
 * What a tenant may do.
 *
 * @param requestsPerMinute   requests admitted per minute (a burst of a full minute's worth is allowed)
 * @param tokensPerMinute     prompt + completion tokens per minute
 * @param maxTokensPerRequest largest {@code max_tokens} a request may ask for
 * @param allowedModels       model ids the tenant may use; {@code *} allows every model
 */
public record TenantPlan(int requestsPerMinute, int tokensPerMinute, int maxTokensPerRequest,
                         List<String> allowedModels) {

    public static final String ANY_MODEL = "*";

    public TenantPlan {
        if (requestsPerMinute < 1 || tokensPerMinute < 1 || maxTokensPerRequest < 1) {
            throw new IllegalArgumentException("requests_per_minute, tokens_per_minute and max_tokens_per_request "
                    + "must be >= 1");
        }
        allowedModels = allowedModels == null || allowedModels.isEmpty() ? List.of(ANY_MODEL) : List.copyOf(allowedModels);
    }

    public boolean allows(String model) {
        return allowedModels.contains(ANY_MODEL) || allowedModels.contains(model);
    }
}
