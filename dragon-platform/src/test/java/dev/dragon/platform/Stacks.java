package dev.dragon.platform;

import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/** Where the platform tests run from, and a port offset whose every port is free. */
final class Stacks {

    private Stacks() {
    }

    /** The repository root (the services' working directory): the parent of this module's directory. */
    static Path root() {
        return Path.of("").toAbsolutePath().getParent();
    }

    static Path bundle() {
        return root().resolve("models/dragon-moe-mini");
    }

    static Ports freePorts() {
        for (int attempt = 0; attempt < 50; attempt++) {
            Ports p = new Ports(ThreadLocalRandom.current().nextInt(100, 230) * 100);
            if (p.all().values().stream().allMatch(Platform.Prerequisites::isFree)) {
                return p;
            }
        }
        throw new IllegalStateException("no port offset with every port free");
    }
}
