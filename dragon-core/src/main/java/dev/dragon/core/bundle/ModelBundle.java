package dev.dragon.core.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An opened, verified model bundle. {@link #open(Path)} parses and validates {@code manifest.json} and
 * checks the size and SHA-256 of every file it lists before returning, so every path handed out here
 * points at verified content.
 */
public final class ModelBundle {

    private final Path dir;
    private final Manifest manifest;

    private ModelBundle(Path dir, Manifest manifest) {
        this.dir = dir;
        this.manifest = manifest;
    }

    /**
     * Opens the bundle in {@code dir}.
     *
     * @throws BundleException naming the file (and the field, for the manifest) when anything is missing,
     *                         malformed, of the wrong size or of the wrong digest
     */
    public static ModelBundle open(Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        Path manifestFile = root.resolve(Manifest.FILE_NAME);
        if (!Files.isRegularFile(manifestFile)) {
            throw new BundleException(Manifest.FILE_NAME, "missing file in bundle directory " + root);
        }
        byte[] json;
        try {
            json = Files.readAllBytes(manifestFile);
        } catch (IOException e) {
            throw new BundleException(Manifest.FILE_NAME, "cannot read: " + e.getMessage(), e);
        }
        Manifest manifest = Manifest.parse(json);
        FileVerifier.verify(root, manifest.files());
        return new ModelBundle(root, manifest);
    }

    /** Absolute, normalised bundle directory. */
    public Path dir() {
        return dir;
    }

    public Manifest manifest() {
        return manifest;
    }

    public Architecture architecture() {
        return manifest.architecture();
    }

    /** Resolves a bundle-relative path listed in the manifest. */
    public Path resolve(String relative) {
        if (!manifest.files().containsKey(relative)) {
            throw new IllegalArgumentException("'" + relative + "' is not a file of this bundle");
        }
        return dir.resolve(relative);
    }

    public Path embedGraph() {
        return resolve(manifest.graphs().embed());
    }

    public Path attentionGraph(int layer) {
        return resolve(manifest.graphs().attention().get(checkLayer(layer)));
    }

    public Path sharedExpertGraph(int layer) {
        return resolve(manifest.graphs().shared().get(checkLayer(layer)));
    }

    public Path expertGraph(int layer, int expert) {
        java.util.Objects.checkIndex(expert, architecture().routedExperts());
        return resolve(manifest.graphs().experts().get(checkLayer(layer)).get(expert));
    }

    public Path headGraph() {
        return resolve(manifest.graphs().head());
    }

    public Path lmHeadGraph() {
        return resolve(manifest.graphs().lmHead());
    }

    /** {@code gates.safetensors}: {@code layers.{l}.gate} {@code [E,d]} F32. */
    public Path gatesTensors() {
        return resolve(manifest.tensors().gates());
    }

    /** {@code pc_layer.safetensors}: {@code w1} {@code [P,d]}, {@code w2} {@code [d,P]} F32. */
    public Path pcLayerTensors() {
        return resolve(manifest.tensors().pcLayer());
    }

    public Path tokenizerFile() {
        return resolve(manifest.tokenizer());
    }

    public Path goldenFile() {
        return resolve(manifest.golden());
    }

    /** Reads and parses {@code golden.json}. */
    public GoldenReference golden() {
        return GoldenReference.read(goldenFile());
    }

    private int checkLayer(int layer) {
        return java.util.Objects.checkIndex(layer, architecture().nLayers());
    }

    @Override
    public String toString() {
        return "ModelBundle[" + manifest.name() + " " + manifest.version() + " at " + dir + "]";
    }
}
