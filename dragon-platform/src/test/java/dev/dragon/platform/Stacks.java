package dev.dragon.platform;

import java.nio.file.Path;

/** Where the platform tests run from. */
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
}
