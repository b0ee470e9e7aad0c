package dev.dragon.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code ./dragon up}: starts the platform, prints how to use it, and runs until Ctrl-C (SIGINT) or
 * {@code ./dragon down} (SIGTERM), then stops every process it started.
 *
 * <pre>
 * Up [--port-offset N] [--run-dir DIR] [--bundle DIR] [--dev-key KEY] [--timeout SECONDS] [--jvm-option OPT]...
 * </pre>
 */
public final class Up {

    private Up() {
    }

    public static void main(String[] args) {
        try {
            run(UpOptions.parse(args));
        } catch (PlatformException e) {
            System.err.println("dragon up: " + e.getMessage());
            System.exit(1);
        }
    }

    static void run(UpOptions o) {
        Path root = Path.of("").toAbsolutePath();
        Path runDir = o.runDir() != null ? o.runDir().toAbsolutePath()
                : root.resolve("run").resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        String devKey = o.devKey() != null ? o.devKey() : "sk-dragon-dev-" + random(12);
        PlatformPlan plan = new PlatformPlan(new Ports(o.portOffset()), o.bundle().toAbsolutePath(), devKey,
                "dev-signing-" + random(16));
        PidFile pidFile = PidFile.in(root, o.portOffset());
        pidFile.refuseIfRunning();

        System.out.println("dragon up: starting the platform (logs in " + runDir.resolve("logs") + ")");
        long t0 = System.nanoTime();
        AtomicReference<Platform> running = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            System.out.println("\ndragon up: stopping");
            Platform platform = running.get();
            if (platform != null) {
                platform.close();
            } else {                                        // interrupted while starting
                stopDescendants();
            }
            pidFile.delete();
            System.out.println("dragon up: stopped; logs kept in " + runDir.resolve("logs"));
            stopped.countDown();
        }, "dragon-down");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            running.set(Platform.start(plan, root, runDir, o.jvmOptions(), o.timeoutSeconds(), System.out::println));
        } catch (RuntimeException e) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);   // start() already stopped what it started
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it stops whatever is left
            }
            throw e instanceof PlatformException pe ? pe : new PlatformException(e.toString(), e);
        }
        pidFile.write(ProcessHandle.current().pid(), runDir);

        System.out.println(Banner.text(plan, runDir, (System.nanoTime() - t0) / 1_000_000_000.0));
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void stopDescendants() {
        List<ProcessHandle> children = ProcessHandle.current().descendants().toList();
        children.forEach(ProcessHandle::destroy);
        children.forEach(p -> p.onExit().completeOnTimeout(p, 20, java.util.concurrent.TimeUnit.SECONDS).join());
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Command-line options of {@link Up}. */
    record UpOptions(int portOffset, Path runDir, Path bundle, String devKey, long timeoutSeconds,
                     List<String> jvmOptions) {

        static UpOptions parse(String[] args) {
            int offset = 0;
            Path runDir = null;
            Path bundle = Path.of("models/dragon-moe-mini");
            String devKey = null;
            long timeout = 180;
            List<String> jvm = new java.util.ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String v = i + 1 < args.length ? args[i + 1] : null;
                if (v == null && !a.equals("--help")) {
                    throw new PlatformException(a + " needs a value");
                }
                switch (a) {
                    case "--port-offset" -> offset = parseInt(a, v);
                    case "--run-dir" -> runDir = Path.of(v);
                    case "--bundle" -> bundle = Path.of(v);
                    case "--dev-key" -> devKey = v;
                    case "--timeout" -> timeout = parseInt(a, v);
                    case "--jvm-option" -> jvm.add(v);
                    default -> throw new PlatformException("unknown option '" + a + "' (options: --port-offset N, "
                            + "--run-dir DIR, --bundle DIR, --dev-key KEY, --timeout SECONDS, --jvm-option OPT)");
                }
                i++;
            }
            return new UpOptions(offset, runDir, bundle, devKey, timeout, jvm);
        }

        private static int parseInt(String option, String value) {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new PlatformException(option + " takes a whole number, got '" + value + "'");
            }
        }
    }

    /** The launcher's pid and run directory, for {@code ./dragon down}. */
    record PidFile(Path path) {

        /** {@code run/dragon-up.pid}, or {@code run/dragon-up-<offset>.pid} for a stack on shifted ports. */
        static PidFile in(Path root, int portOffset) {
            return new PidFile(root.resolve("run").resolve(portOffset == 0 ? "dragon-up.pid"
                    : "dragon-up-" + portOffset + ".pid"));
        }

        void refuseIfRunning() {
            readPid().flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive).ifPresent(p -> {
                throw new PlatformException("a platform is already running (pid " + p.pid() + "); stop it with "
                        + "./dragon down, or start a second one with --port-offset N --run-dir DIR");
            });
        }

        java.util.Optional<Long> readPid() {
            try {
                return Files.isRegularFile(path)
                        ? java.util.Optional.of(Long.parseLong(Files.readAllLines(path).getFirst().trim()))
                        : java.util.Optional.empty();
            } catch (IOException | RuntimeException e) {
                return java.util.Optional.empty();
            }
        }

        void write(long pid, Path runDir) {
            try {
                Files.createDirectories(path.getParent());
                Files.writeString(path, pid + "\n" + runDir + "\n");
            } catch (IOException e) {
                throw new PlatformException("cannot write " + path + ": " + e.getMessage(), e);
            }
        }

        void delete() {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // nothing to clean up then
            }
        }
    }
}
