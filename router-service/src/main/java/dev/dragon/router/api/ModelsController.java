package dev.dragon.router.api;

import dev.dragon.contracts.openai.Model;
import dev.dragon.contracts.openai.ModelList;
import dev.dragon.router.config.ServedModel;
import dev.dragon.router.error.ModelNotFoundException;
import dev.dragon.support.web.DragonHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/models} and {@code GET /v1/models/{id}}: the one model this router serves. */
@RestController
public class ModelsController {

    private static final String OWNER = "dragon";

    private final ServedModel model;

    public ModelsController(ServedModel model) {
        this.model = model;
    }

    @GetMapping("/v1/models")
    public ResponseEntity<ModelList> list() {
        return withVersion(ModelList.of(java.util.List.of(Model.of(model.id(), model.created(), OWNER))));
    }

    @GetMapping("/v1/models/{id}")
    public ResponseEntity<Model> get(@PathVariable String id) {
        if (!model.id().equals(id)) {
            throw new ModelNotFoundException(id);
        }
        return withVersion(Model.of(model.id(), model.created(), OWNER));
    }

    private <T> ResponseEntity<T> withVersion(T body) {
        return ResponseEntity.ok().header(DragonHeaders.MODEL_VERSION, model.version()).body(body);
    }
}
