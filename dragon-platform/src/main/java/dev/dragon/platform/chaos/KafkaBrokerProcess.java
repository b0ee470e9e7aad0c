package dev.dragon.platform.chaos;

import dev.dragon.platform.Kafka;
import dev.dragon.platform.PlatformException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The platform's KRaft broker ({@link Kafka}) in a JVM of its own, so a fault can stop it with SIGSTOP and
 * resume it with SIGCONT. The child prints {@value #READY}{@code host:port} once it serves and exits when its
 * standard input closes (the parent went away), so it never outlives the suite.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    static final String READY = "kafka-bootstrap=";

    private final Process process;
    private final String bootstrap;

    private KafkaBrokerProcess(Process process, String bootstrap) {
        this.process = process;
        this.bootstrap = bootstrap;
    }

    /** The child's entry point: start the broker, say where, wait for stdin to close. */
    public static void main(String[] args) throws IOException {
        try (Kafka kafka = Kafka.start()) {
            System.out.println(READY + kafka.bootstrap());
            System.out.flush();
            while (System.in.read() >= 0) {
                // the parent holds our stdin open while it wants the broker
            }
        }
        System.exit(0);
    }

    /** Starts the broker JVM with this JVM's class path; its output goes to {@code logDir/kafka.log}. */
    public static KafkaBrokerProcess start(Path logDir, long timeoutSeconds) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                KafkaBrokerProcess.class.getName());
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            CompletableFuture<String> address = new CompletableFuture<>();
            Thread.ofPlatform().daemon().name("kafka-output").start(() -> copyOutput(p, logDir, address));
            String bootstrap = address.get(timeoutSeconds, TimeUnit.SECONDS);
            return new KafkaBrokerProcess(p, bootstrap);
        } catch (Exception e) {
            throw new PlatformException("the Kafka broker process did not start: " + e.getMessage()
                    + " (see " + logDir.resolve("kafka.log") + ")", e);
        }
    }

    private static void copyOutput(Process p, Path logDir, CompletableFuture<String> address) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             var log = java.nio.file.Files.newBufferedWriter(logDir.resolve("kafka.log"), StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith(READY)) {
                    address.complete(line.substring(READY.length()).trim());
                }
                log.write(line);
                log.newLine();
                log.flush();
            }
        } catch (IOException e) {
            address.completeExceptionally(e);
        }
        address.completeExceptionally(new IOException("the broker process exited"));
    }

    public String bootstrap() {
        return bootstrap;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        Signals.resume(process.pid());                       // a stopped JVM cannot act on its stdin closing
        try {
            process.getOutputStream().close();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
