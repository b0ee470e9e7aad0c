package dev.dragon.router.testing;

import dev.dragon.core.bundle.ModelBundle;
import dev.dragon.core.tokenizer.BpeTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shipped bundle (models/dragon-moe-mini, one directory above the module) for unit tests that need its
 * tokenizer or golden file but no ONNX Runtime. It is committed, so its absence fails the test.
 */
public final class ShippedBundle {

    public static final Path DIR = Path.of("..", "models", "dragon-moe-mini");

    private static ModelBundle bundle;
    private static BpeTokenizer tokenizer;

    private ShippedBundle() {
    }

    public static synchronized ModelBundle bundle() {
        if (bundle == null) {
            if (!Files.isRegularFile(DIR.resolve("manifest.json"))) {
                throw new IllegalStateException("the shipped bundle is missing at " + DIR.toAbsolutePath());
            }
            bundle = ModelBundle.open(DIR);
        }
        return bundle;
    }

    public static synchronized BpeTokenizer tokenizer() {
        if (tokenizer == null) {
            try {
                tokenizer = BpeTokenizer.load(bundle().tokenizerFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tokenizer;
    }
}
