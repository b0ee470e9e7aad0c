package dev.dragon.learning.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A bundle's {@code replay.json} ({@code "format": "dragon-replay/1"}): token-id documents under {@code replay}
 * and {@code holdout}.
 */
record ReplayFile(List<int[]> replay, List<int[]> holdout) {

    static ReplayFile read(Path file) {
        JsonNode root;
        try {
            root = JsonMapper.shared().readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!"dragon-replay/1".equals(root.path("format").asString(""))) {
            throw new IllegalStateException(file + ": format is not dragon-replay/1");
        }
        return new ReplayFile(docs(file, root, "replay"), docs(file, root, "holdout"));
    }

    private static List<int[]> docs(Path file, JsonNode root, String field) {
        JsonNode list = root.path(field);
        if (!list.isArray() || list.isEmpty()) {
            throw new IllegalStateException(file + ": '" + field + "' must be a non-empty array of token lists");
        }
        List<int[]> out = new ArrayList<>();
        for (JsonNode doc : list) {
            int[] ids = new int[doc.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = doc.get(i).asInt();
            }
            out.add(ids);
        }
        return out;
    }
}
