package dev.dragon.router.error;

/** The engine failed while generating, for a reason that is not the client's (500). */
public final class GenerationFailedException extends RouterException {

    private static final long serialVersionUID = 1L;

    public GenerationFailedException(Throwable cause) {
        super("The server had an error while generating the response.", cause);
    }
}
