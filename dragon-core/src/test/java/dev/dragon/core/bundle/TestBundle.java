package dev.dragon.core.bundle;

import dev.dragon.core.json.JsonField;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Builds a small fake bundle (2 layers, 4 routed experts, top-2) in a directory for tests. */
final class TestBundle {

    static final int LAYERS = 2;
    static final int EXPERTS = 4;

    final Path dir;
    final Map<String, byte[]> contents = new LinkedHashMap<>();
    final ObjectNode manifest;

    TestBundle(Path dir) {
        this.dir = dir;
        contents.put("embed.onnx", bytes("embed"));
        for (int l = 0; l < LAYERS; l++) {
            contents.put("layers/attn_" + l + ".onnx", bytes("attn" + l));
            contents.put("layers/shared_" + l + ".onnx", bytes("shared" + l));
            for (int e = 0; e < EXPERTS; e++) {
                contents.put("experts/l" + l + "_e" + e + ".onnx", bytes("expert" + l + e));
            }
        }
        contents.put("head.onnx", bytes("head"));
        contents.put("lm_head.onnx", bytes("lm_head"));
        contents.put("gates.safetensors", bytes("gates"));
        contents.put("pc_layer.safetensors", bytes("pc"));
        contents.put("tokenizer.json", bytes("{}"));
        contents.put("golden.json", bytes(GoldenReferenceTest.GOLDEN));
        manifest = defaultManifest();
    }

    private ObjectNode defaultManifest() {
        ObjectNode m = JsonField.mapper().createObjectNode();
        m.put("format", "dragon-bundle/1").put("name", "tiny").put("version", "1.0.0");
        ObjectNode a = m.putObject("architecture");
        a.put("vocab_size", 300).put("d_model", 8).put("n_layers", LAYERS).put("n_heads", 2).put("head_dim", 4)
                .put("window", 4).put("rope_theta", 10000.0).put("norm_eps", 1e-5).put("max_positions", 1048576)
                .put("routed_experts", EXPERTS).put("shared_experts", 1).put("top_k", 2).put("expert_hidden", 16)
                .put("shared_hidden", 16).put("pc_hidden", 8);
        a.putObject("gating").put("affinity", "sigmoid").put("selection", "topk(s+bias)").put("normalize", true);
        ArrayNode bias = m.putArray("gating_bias");
        for (int l = 0; l < LAYERS; l++) {
            ArrayNode layer = bias.addArray();
            for (int e = 0; e < EXPERTS; e++) {
                layer.add(0.01 * (l + 1) * (e - 1));
            }
        }
        ArrayNode groups = m.putObject("partition").putArray("groups");
        ArrayNode g0 = groups.addObject().put("name", "g0").putArray("experts");
        ArrayNode g1 = groups.addObject().put("name", "g1").putArray("experts");
        for (int l = 0; l < LAYERS; l++) {
            g0.addArray().add(0).add(1);
            g1.addArray().add(2).add(3);
        }
        ObjectNode graphs = m.putObject("graphs");
        graphs.put("embed", "embed.onnx");
        ArrayNode attention = graphs.putArray("attention");
        ArrayNode shared = graphs.putArray("shared");
        ArrayNode experts = graphs.putArray("experts");
        for (int l = 0; l < LAYERS; l++) {
            attention.add("layers/attn_" + l + ".onnx");
            shared.add("layers/shared_" + l + ".onnx");
            ArrayNode layer = experts.addArray();
            for (int e = 0; e < EXPERTS; e++) {
                layer.add("experts/l" + l + "_e" + e + ".onnx");
            }
        }
        graphs.put("head", "head.onnx").put("lm_head", "lm_head.onnx");
        m.putObject("tensors").put("gates", "gates.safetensors").put("pc_layer", "pc_layer.safetensors");
        m.put("tokenizer", "tokenizer.json").put("golden", "golden.json");
        ObjectNode files = m.putObject("files");
        contents.forEach((name, data) -> files.putObject(name).put("sha256", sha256(data)).put("bytes", data.length));
        m.putObject("training").put("seed", 1234).put("steps", 10).put("tokens", 1000).put("seconds", 1.5)
                .put("corpus", "tiny");
        return m;
    }

    /** Writes every file and the manifest; returns the bundle directory. */
    Path write() {
        try {
            for (Map.Entry<String, byte[]> e : contents.entrySet()) {
                Path file = dir.resolve(e.getKey());
                Files.createDirectories(file.getParent());
                Files.write(file, e.getValue());
            }
            Files.write(dir.resolve("manifest.json"), JsonField.mapper().writeValueAsBytes(manifest));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Dotted paths of every object member in the manifest, except the per-file entries of {@code files}. */
    List<String> memberPaths() {
        List<String> out = new ArrayList<>();
        collect(manifest, "", out);
        out.removeIf(p -> p.startsWith("files."));
        return out;
    }

    private static void collect(tools.jackson.databind.JsonNode node, String path, List<String> out) {
        if (node.isObject()) {
            for (String name : node.propertyNames()) {
                String child = path.isEmpty() ? name : path + "." + name;
                out.add(child);
                collect(node.get(name), child, out);
            }
        }
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
