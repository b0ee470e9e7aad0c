package dev.dragon.learning.testing;

import dev.dragon.learning.model.FeatureExtractor;
import dev.dragon.learning.model.LmHeadLoss;
import dev.dragon.learning.model.ModelHost;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shipped bundle (models/dragon-moe-mini), loaded once per test JVM. It is committed, so its absence is a
 * failure, never a skip.
 */
public final class ShippedBundle {

    public static final Path DIR = Path.of("..", "models", "dragon-moe-mini");

    private static ModelHost host;
    private static FeatureExtractor features;

    private ShippedBundle() {
    }

    public static synchronized ModelHost host() {
        if (host == null) {
            if (!Files.isRegularFile(DIR.resolve("manifest.json"))) {
                throw new IllegalStateException("the shipped bundle is missing at " + DIR.toAbsolutePath());
            }
            host = ModelHost.open(DIR, 2);
        }
        return host;
    }

    public static synchronized FeatureExtractor features() {
        if (features == null) {
            features = new FeatureExtractor(host());
        }
        return features;
    }

    public static LmHeadLoss loss() {
        return new LmHeadLoss(host());
    }
}
