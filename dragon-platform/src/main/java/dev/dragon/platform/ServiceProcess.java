package dev.dragon.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** One service running as its own JVM, its output in a log file; stopped with SIGTERM, then SIGKILL. */
public final class ServiceProcess implements AutoCloseable {

    private static final long GRACE_SECONDS = 20;

    private final ServiceSpec spec;
    private final Process process;
    private final Path log;

    private ServiceProcess(ServiceSpec spec, Process process, Path log) {
        this.spec = spec;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code spec}'s jar with the launcher's own {@code java}, in {@code workDir}. */
    public static ServiceProcess start(ServiceSpec spec, Path jar, Path workDir, Path logDir, List<String> extraJvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(spec.jvmOptions());
        command.addAll(extraJvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(spec.arguments());
        Path log = logDir.resolve(spec.name() + ".log");
        try {
            Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return new ServiceProcess(spec, p, log);
        } catch (IOException e) {
            throw new PlatformException("cannot start " + spec.name() + ": " + e.getMessage(), e);
        }
    }

    public ServiceSpec spec() {
        return spec;
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public int exitValue() {
        return process.exitValue();
    }

    /** The last {@code n} lines of the log, for a failure message. */
    public String logTail(int n) {
        try (Stream<String> lines = Files.lines(log)) {
            List<String> all = lines.toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - n), all.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM (Spring's graceful shutdown), then SIGKILL after the grace period; children of the JVM too. */
    @Override
    public void close() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(GRACE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
