package dev.dragon.router.error;

/** The request names a model this router does not serve (404). */
public final class ModelNotFoundException extends RouterException {

    private static final long serialVersionUID = 1L;

    private final String model;

    public ModelNotFoundException(String model) {
        super("The model '" + model + "' does not exist or you do not have access to it.", null);
        this.model = model;
    }

    public String model() {
        return model;
    }
}
