package dev.dragon.router.error;

/** Base of every failure the router answers a client with; {@link ErrorMapping} decides status and body. */
public abstract sealed class RouterException extends RuntimeException
        permits InvalidRequestException, ModelNotFoundException, OverloadedException, ExpertsUnavailableException,
                ShuttingDownException, GenerationFailedException {

    private static final long serialVersionUID = 1L;

    protected RouterException(String message, Throwable cause) {
        super(message, cause);
    }
}
