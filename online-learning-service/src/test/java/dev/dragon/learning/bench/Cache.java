package dev.dragon.learning.bench;

import dev.dragon.learning.model.BaseSet;
import dev.dragon.learning.model.FeatureExtractor;
import dev.dragon.learning.model.ModelHost;
import dev.dragon.learning.pc.Rows;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/** Caches extracted rows under target/bench-cache between bench runs (features depend only on the bundle). */
final class Cache {

    private static final Path DIR = Path.of(System.getProperty("java.io.tmpdir"), "dragon-learner-bench");

    private Cache() {
    }

    /** Names cached features after the bundle's manifest: they change whenever the bundle does. */
    static String tag(ModelHost host) {
        try {
            return host.modelName() + "-" + Integer.toHexString(
                    Files.readString(host.bundle().dir().resolve("manifest.json")).hashCode());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BaseSet baseSet(ModelHost host, FeatureExtractor features) {
        String tag = tag(host);
        BaseSet[] built = {null};
        Rows replay = rows(tag + "-replay", () -> {
            built[0] = BaseSet.load(host, features, 256, 256, 96, 1000);
            return built[0].replay();
        });
        Rows holdout = rows(tag + "-holdout", () -> {
            if (built[0] == null) {
                built[0] = BaseSet.load(host, features, 256, 256, 96, 1000);
            }
            return built[0].holdout();
        });
        return new BaseSet(replay, holdout, List.of(), built[0] == null ? "cache" : built[0].source());
    }

    static Rows rows(String name, Supplier<Rows> compute) {
        Path file = DIR.resolve(name + ".bin");
        try {
            if (Files.exists(file)) {
                try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
                    int d = in.readInt();
                    int n = in.readInt();
                    float[] x = new float[n * d];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = in.readFloat();
                    }
                    int[] t = new int[n];
                    for (int i = 0; i < n; i++) {
                        t[i] = in.readInt();
                    }
                    return new Rows(d, x, t);
                }
            }
            Rows r = compute.get();
            Files.createDirectories(DIR);
            try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
                out.writeInt(r.d());
                out.writeInt(r.n());
                for (float v : r.x()) {
                    out.writeFloat(v);
                }
                for (int v : r.targets()) {
                    out.writeInt(v);
                }
            }
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
