package dev.dragon.core.bundle;

import dev.dragon.core.json.JsonField;
import dev.dragon.core.json.JsonFieldException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads {@code manifest.json} into records and checks it is internally consistent. */
final class ManifestParser {

    private ManifestParser() {
    }

    static Manifest parse(byte[] json) {
        try {
            return read(JsonField.parse(json));
        } catch (JsonFieldException e) {
            throw new BundleException(Manifest.FILE_NAME, e.getMessage(), e);
        }
    }

    private static Manifest read(JsonField root) {
        String format = root.get("format").string();
        if (!format.equals(Manifest.FORMAT)) {
            throw root.get("format").fail("unsupported format '" + format + "' (expected '" + Manifest.FORMAT + "')");
        }
        Architecture arch = architecture(root.get("architecture"));
        Map<String, FileEntry> files = files(root.get("files"));
        FileRefs refs = new FileRefs(files);
        return new Manifest(
                format,
                root.get("name").nonEmptyString(),
                root.get("version").nonEmptyString(),
                arch,
                gatingBias(root.get("gating_bias"), arch),
                partition(root.get("partition"), arch),
                graphs(root.get("graphs"), arch, refs),
                new TensorFiles(refs.listed(root.get("tensors").get("gates")),
                        refs.listed(root.get("tensors").get("pc_layer"))),
                refs.listed(root.get("tokenizer")),
                refs.listed(root.get("golden")),
                files,
                training(root.get("training")));
    }

    private static Architecture architecture(JsonField a) {
        int routed = a.get("routed_experts").intAtLeast(1);
        JsonField topK = a.get("top_k");
        int k = topK.intAtLeast(1);
        if (k > routed) {
            throw topK.fail("must be <= routed_experts (" + routed + "), got " + k);
        }
        return new Architecture(
                a.get("vocab_size").intAtLeast(1),
                a.get("d_model").intAtLeast(1),
                a.get("n_layers").intAtLeast(1),
                a.get("n_heads").intAtLeast(1),
                a.get("head_dim").intAtLeast(1),
                a.get("window").intAtLeast(1),
                positive(a.get("rope_theta")),
                positive(a.get("norm_eps")),
                a.get("max_positions").longValue(),
                routed,
                a.get("shared_experts").intAtLeast(0),
                k,
                a.get("expert_hidden").intAtLeast(1),
                a.get("shared_hidden").intAtLeast(0),
                a.get("pc_hidden").intAtLeast(1),
                gating(a.get("gating")));
    }

    private static Gating gating(JsonField g) {
        Gating gating = new Gating(g.get("affinity").string(), g.get("selection").string(),
                g.get("normalize").booleanValue());
        if (!gating.affinity().equals(Gating.SIGMOID)) {
            throw g.get("affinity").fail("unsupported affinity '" + gating.affinity() + "' (supported: sigmoid)");
        }
        if (!gating.selection().equals(Gating.TOPK_S_PLUS_BIAS)) {
            throw g.get("selection").fail("unsupported selection '" + gating.selection()
                    + "' (supported: topk(s+bias))");
        }
        if (!gating.normalize()) {
            throw g.get("normalize").fail("only normalised gating weights are supported");
        }
        return gating;
    }

    private static GatingBias gatingBias(JsonField field, Architecture arch) {
        List<JsonField> layers = field.elements(arch.nLayers());
        float[][] bias = new float[layers.size()][];
        for (int l = 0; l < bias.length; l++) {
            layers.get(l).elements(arch.routedExperts());
            bias[l] = layers.get(l).floatArray();
            for (int e = 0; e < bias[l].length; e++) {
                if (!Float.isFinite(bias[l][e])) {
                    throw layers.get(l).elements().get(e).fail("must be finite");
                }
            }
        }
        return new GatingBias(bias);
    }

    private static Partition partition(JsonField field, Architecture arch) {
        List<JsonField> groupFields = field.get("groups").elements();
        if (groupFields.isEmpty()) {
            throw field.get("groups").fail("must name at least one group");
        }
        List<ExpertGroup> groups = new ArrayList<>();
        String[][] owner = new String[arch.nLayers()][arch.routedExperts()];
        for (JsonField g : groupFields) {
            String name = g.get("name").nonEmptyString();
            if (groups.stream().anyMatch(existing -> existing.name().equals(name))) {
                throw g.get("name").fail("duplicate group name '" + name + "'");
            }
            List<List<Integer>> perLayer = new ArrayList<>();
            List<JsonField> layers = g.get("experts").elements(arch.nLayers());
            for (int l = 0; l < layers.size(); l++) {
                List<Integer> experts = new ArrayList<>();
                for (JsonField e : layers.get(l).elements()) {
                    int expert = e.intAtLeast(0);
                    if (expert >= arch.routedExperts()) {
                        throw e.fail("expert " + expert + " out of range [0, " + arch.routedExperts() + ")");
                    }
                    if (owner[l][expert] != null) {
                        throw e.fail("expert " + expert + " of layer " + l + " is already in group '"
                                + owner[l][expert] + "'");
                    }
                    owner[l][expert] = name;
                    experts.add(expert);
                }
                perLayer.add(experts);
            }
            groups.add(new ExpertGroup(name, perLayer));
        }
        for (int l = 0; l < owner.length; l++) {
            for (int e = 0; e < owner[l].length; e++) {
                if (owner[l][e] == null) {
                    throw field.get("groups").fail("expert " + e + " of layer " + l + " is in no group");
                }
            }
        }
        return new Partition(groups);
    }

    private static Graphs graphs(JsonField g, Architecture arch, FileRefs refs) {
        List<List<String>> experts = new ArrayList<>();
        for (JsonField layer : g.get("experts").elements(arch.nLayers())) {
            experts.add(layer.elements(arch.routedExperts()).stream().map(refs::listed).toList());
        }
        return new Graphs(
                refs.listed(g.get("embed")),
                g.get("attention").elements(arch.nLayers()).stream().map(refs::listed).toList(),
                g.get("shared").elements(arch.nLayers()).stream().map(refs::listed).toList(),
                experts,
                refs.listed(g.get("head")),
                refs.listed(g.get("lm_head")));
    }

    private static Map<String, FileEntry> files(JsonField field) {
        Map<String, FileEntry> files = new LinkedHashMap<>();
        for (Map.Entry<String, JsonField> e : field.members().entrySet()) {
            String path = e.getKey();
            JsonField entry = e.getValue();
            String problem = BundlePaths.problem(path);
            if (problem != null) {
                throw entry.fail("file name " + problem);
            }
            JsonField sha = entry.get("sha256");
            JsonField bytes = entry.get("bytes");
            try {
                files.put(path, new FileEntry(sha.string(), bytes.longValue()));
            } catch (IllegalArgumentException ex) {
                throw (ex.getMessage().startsWith("sha256") ? sha : bytes).fail(ex.getMessage());
            }
        }
        return files;
    }

    private static TrainingInfo training(JsonField t) {
        return new TrainingInfo(t.get("seed").longValue(), t.get("steps").longValue(), t.get("tokens").longValue(),
                t.get("seconds").doubleValue(), t.get("corpus").string());
    }

    private static double positive(JsonField field) {
        double value = field.doubleValue();
        if (!(value > 0) || !Double.isFinite(value)) {
            throw field.fail("must be a positive number, got " + value);
        }
        return value;
    }

    /** Checks that file references point at files listed (and so verified) in {@code files}. */
    private record FileRefs(Map<String, FileEntry> files) {

        String listed(JsonField ref) {
            String path = ref.nonEmptyString();
            if (!files.containsKey(path)) {
                throw ref.fail("'" + path + "' is not listed in files, so it cannot be verified");
            }
            return path;
        }
    }
}
