package dev.dragon.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A one-line description of the machine a benchmark ran on. */
public final class Machine {

    private Machine() {
    }

    public static String describe() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException ignored) {
            // not Linux: keep the generic name
        }
        long memGiB = Runtime.getRuntime().maxMemory() >> 30;
        return "%s, %d cores visible, JVM %s (max heap %d GiB), %s %s".formatted(cpu,
                Runtime.getRuntime().availableProcessors(), Runtime.version(), memGiB,
                System.getProperty("os.name"), System.getProperty("os.arch"));
    }
}
