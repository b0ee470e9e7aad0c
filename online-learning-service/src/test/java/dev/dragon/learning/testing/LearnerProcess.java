package dev.dragon.learning.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/** The packaged learner ({@code java -jar target/online-learning-service-*.jar}) as a real process. */
public final class LearnerProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private LearnerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts the jar with {@code settings} as {@code --name=value} arguments, appending its output to {@code log}. */
    public static LearnerProcess start(Map<String, String> settings, Path log) {
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx1536m", "--enable-native-access=ALL-UNNAMED",
                "-jar", jar().toString()));
        settings.forEach((k, v) -> command.add("--" + k + "=" + v));
        try {
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return new LearnerProcess(p, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the learner logged that it consumes (after {@code previousStarts} earlier starts in this log). */
    public void awaitStarted(int previousStarts, Duration timeout) {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofSeconds(1)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the learner exited with " + process.exitValue() + "; see " + log);
            }
            return Files.readString(log).split("learner started", -1).length - 1 > previousStarts;
        });
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no flush, no transaction commit or abort. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static String java() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The executable jar the package phase built (failsafe runs after it). */
    private static Path jar() {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(f -> f.getFileName().toString().matches("online-learning-service-.*\\.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException(
                            "no packaged learner in target/: run the package phase (mvn verify) first"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
