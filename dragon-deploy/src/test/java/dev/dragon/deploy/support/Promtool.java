package dev.dragon.deploy.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs Prometheus' promtool (Debian package prometheus, installed by .ci/run). Missing promtool fails. */
public final class Promtool {

    /** Exit code and combined output of one run. */
    public record Result(int exitCode, String output) {
    }

    private Promtool() {
    }

    public static Result run(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(binary().toString());
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("promtool did not finish in 120 s: " + command);
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        }
    }

    /** promtool from PATH, else /usr/bin/promtool. */
    public static Path binary() {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Stream.concat(Stream.of(path.split(java.io.File.pathSeparator)).filter(p -> !p.isEmpty()).map(Path::of),
                        Stream.of(Path.of("/usr/bin")))
                .map(directory -> directory.resolve("promtool"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        "promtool not found on PATH or in /usr/bin: install it (apt-get install -y prometheus; .ci/run does)"));
    }
}
