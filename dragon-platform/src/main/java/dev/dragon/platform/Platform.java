package dev.dragon.platform;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A running platform: Redis, Kafka and every service of a {@link PlatformPlan}, started in parallel and
 * awaited until ready; {@link #close()} stops them in reverse order and leaves no process behind.
 */
public final class Platform implements AutoCloseable {

    private final Redis redis;
    private final Kafka kafka;
    private final List<ServiceProcess> services;
    private final Path jarsDir;
    private final Consumer<String> out;

    private Platform(Redis redis, Kafka kafka, List<ServiceProcess> services, Path jarsDir, Consumer<String> out) {
        this.redis = redis;
        this.kafka = kafka;
        this.services = services;
        this.jarsDir = jarsDir;
        this.out = out;
    }

    /**
     * Checks prerequisites, starts everything and waits for readiness; on any failure stops what it started.
     *
     * @param root   repository root (the services' working directory; jars are found under it)
     * @param runDir where logs and Redis's files go
     */
    public static Platform start(PlatformPlan plan, Path root, Path runDir, List<String> extraJvmOptions,
                                 long timeoutSeconds, Consumer<String> out) {
        Prerequisites.check(plan, root);
        Path logs = createDirectories(runDir.resolve("logs"));
        Path jarsDir = runDir.resolve("jars");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        Redis redis = null;
        Kafka kafka = null;
        try {
            redis = Redis.start(plan.ports().redis(), runDir, logs);
            out.accept("  started " + redis.description());
            kafka = Kafka.start();
            out.accept("  started Kafka (KRaft, in this JVM) on " + kafka.bootstrap());
            Map<ServiceSpec, Path> jars = snapshot(Prerequisites.jars(plan.services(kafka.bootstrap()), root), jarsDir);
            return new Platform(redis, kafka, startServices(jars, root, logs, extraJvmOptions, deadline, out), jarsDir,
                    out);
        } catch (RuntimeException e) {
            new Platform(redis, kafka, List.of(), jarsDir, s -> { }).close();
            throw e;
        }
    }

    /**
     * Starts every service at once (the JVMs warm up in parallel) and waits until each is ready; on a failure
     * stops those it started and throws.
     */
    public static List<ServiceProcess> startServices(Map<ServiceSpec, Path> jars, Path root, Path logs,
                                                     List<String> extraJvmOptions, long deadlineNanos,
                                                     Consumer<String> out) {
        List<ServiceProcess> started = new ArrayList<>();
        try {
            for (Map.Entry<ServiceSpec, Path> e : jars.entrySet()) {
                started.add(ServiceProcess.start(e.getKey(), e.getValue(), root, logs, extraJvmOptions));
            }
            Readiness readiness = new Readiness();
            for (ServiceProcess s : started) {
                readiness.await(s, deadlineNanos);
                out.accept("  ready   " + s.spec().name() + " (pid " + s.pid() + ")");
            }
            return started;
        } catch (RuntimeException e) {
            for (int i = started.size() - 1; i >= 0; i--) {
                started.get(i).close();
            }
            throw e;
        }
    }

    public List<ServiceProcess> services() {
        return List.copyOf(services);
    }

    /**
     * Copies each module's jar into the run directory and returns the copies: a service restarted by a fault must
     * run the same build as its peers, and a jar rebuilt under a running JVM breaks its class loading.
     */
    public static Map<ServiceSpec, Path> snapshot(Map<ServiceSpec, Path> jars, Path dir) {
        Map<ServiceSpec, Path> copies = new LinkedHashMap<>();
        Map<Path, Path> done = new LinkedHashMap<>();
        try {
            Files.createDirectories(dir);
            for (Map.Entry<ServiceSpec, Path> e : jars.entrySet()) {
                Path copy = done.get(e.getValue());
                if (copy == null) {
                    copy = dir.resolve(e.getValue().getFileName());
                    Files.copy(e.getValue(), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    done.put(e.getValue(), copy);
                }
                copies.put(e.getKey(), copy);
            }
            return copies;
        } catch (IOException ex) {
            throw new PlatformException("cannot copy the service jars to " + dir + ": " + ex.getMessage(), ex);
        }
    }

    /** The redis-server this platform started; empty for the embedded-redis fallback, which hides its pid. */
    public Optional<Long> redisPid() {
        return redis.pid();
    }

    /** Every process this platform started (services, their children, and a redis-server). */
    public List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        redis.pid().ifPresent(pids::add);
        services.forEach(s -> pids.add(s.pid()));
        return pids;
    }

    @Override
    public void close() {
        for (int i = services.size() - 1; i >= 0; i--) {
            ServiceProcess s = services.get(i);
            out.accept("  stopping " + s.spec().name());
            s.close();
        }
        if (kafka != null) {
            out.accept("  stopping Kafka");
            kafka.close();
        }
        if (redis != null) {
            out.accept("  stopping Redis");
            redis.close();
        }
        deleteJars(jarsDir);
    }

    /** The jar copies are half a gigabyte per run: gone once nothing runs them. */
    private static void deleteJars(Path dir) {
        try (Stream<Path> files = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // leave them; the run directory says where they are
        }
    }

    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new PlatformException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Bundle, jars and free ports, checked before anything starts. */
    public static final class Prerequisites {

        private Prerequisites() {
        }

        static void check(PlatformPlan plan, Path root) {
            if (!Files.isRegularFile(plan.bundle().resolve("manifest.json"))) {
                throw new PlatformException("the model bundle is missing: " + plan.bundle().resolve("manifest.json")
                        + " does not exist (it is committed in models/dragon-moe-mini; is this a full clone?)");
            }
            jars(plan.services("kafka-not-started-yet:0"), root);
            plan.ports().all().forEach((name, port) -> {
                if (!isFree(port)) {
                    throw new PlatformException("port " + port + " (" + name + ") is already in use; stop what "
                            + "listens there (`ss -ltnp 'sport = :" + port + "'`), run ./dragon down if an earlier "
                            + "./dragon up is still running, or choose other ports with --port-offset N");
                }
            });
        }

        /** Each spec's packaged jar, in the specs' order; throws naming every module not built yet. */
        public static Map<ServiceSpec, Path> jars(List<ServiceSpec> specs, Path root) {
            Map<ServiceSpec, Path> jars = new LinkedHashMap<>();
            List<String> missing = new ArrayList<>();
            for (ServiceSpec s : specs) {
                Path jar = jar(root, s.module());
                if (jar == null) {
                    missing.add(s.module());
                } else {
                    jars.put(s, jar);
                }
            }
            if (!missing.isEmpty()) {
                throw new PlatformException("not built yet: " + String.join(", ", missing.stream().distinct().toList())
                        + " (run ./dragon build, or ./dragon up, which builds what is missing)");
            }
            return jars;
        }

        public static Path jar(Path root, String module) {
            Path target = root.resolve(module).resolve("target");
            if (!Files.isDirectory(target)) {
                return null;
            }
            try (Stream<Path> files = Files.list(target)) {
                return files.filter(p -> {
                    String n = p.getFileName().toString();
                    return n.startsWith(module + "-") && n.endsWith(".jar")
                            && !n.endsWith("-sources.jar") && !n.endsWith("-plain.jar") && !n.endsWith("-tests.jar");
                }).findFirst().orElse(null);
            } catch (IOException e) {
                return null;
            }
        }

        public static boolean isFree(int port) {
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                s.setReuseAddress(true);
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }
}
