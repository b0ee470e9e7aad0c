package dev.dragon.core.bundle;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parsed and validated {@code manifest.json} of a {@code dragon-bundle/1} bundle. Paths are relative
 * to the bundle directory; {@link ModelBundle} resolves them.
 */
public record Manifest(String format, String name, String version, Architecture architecture,
                       GatingBias gatingBias, Partition partition, Graphs graphs, TensorFiles tensors,
                       String tokenizer, String golden, Map<String, FileEntry> files, TrainingInfo training) {

    public static final String FILE_NAME = "manifest.json";
    public static final String FORMAT = "dragon-bundle/1";

    public Manifest {
        files = Collections.unmodifiableMap(new LinkedHashMap<>(files)); // keeps manifest order
    }

    /** Parses and validates manifest JSON; any problem is a {@link BundleException} naming the field. */
    public static Manifest parse(byte[] json) {
        return ManifestParser.parse(json);
    }
}
