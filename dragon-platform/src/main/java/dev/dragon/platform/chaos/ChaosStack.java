package dev.dragon.platform.chaos;

import dev.dragon.platform.Platform;
import dev.dragon.platform.PlatformException;
import dev.dragon.platform.PlatformPlan;
import dev.dragon.platform.Ports;
import dev.dragon.platform.Redis;
import dev.dragon.platform.ServiceProcess;
import dev.dragon.platform.ServiceSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The platform of {@code ./dragon up} shaped for faults: two replicas of expert group g0 ({@code expert-g0},
 * {@code expert-g0-b}), one of g1, cache, learner, two router replicas ({@code router-a}, {@code router-b}) that
 * both dispatch to both g0 replicas, and a gateway spreading requests over both routers with an admin token.
 * Redis runs as a process and Kafka in a JVM of its own, so each can be paused. Every process can be killed and
 * restarted by name.
 */
public final class ChaosStack implements AutoCloseable {

    /** Added to a service's ports for its second replica. */
    public static final int REPLICA_SHIFT = 10;
    static final String HOST = "127.0.0.1";

    private final Ports ports;
    private final Path root;
    private final Path logs;
    private final String adminToken;
    private final String signingKey;
    private final Redis redis;
    private final KafkaBrokerProcess kafka;
    private final Map<String, Path> jars;
    private final Map<String, ServiceSpec> specs = new LinkedHashMap<>();
    private final Map<String, ServiceProcess> running = new LinkedHashMap<>();
    private final Consumer<String> out;

    private ChaosStack(Ports ports, Path root, Path logs, String adminToken, String signingKey, Redis redis,
                       KafkaBrokerProcess kafka, Map<String, Path> jars, Consumer<String> out) {
        this.ports = ports;
        this.root = root;
        this.logs = logs;
        this.adminToken = adminToken;
        this.signingKey = signingKey;
        this.redis = redis;
        this.kafka = kafka;
        this.jars = jars;
        this.out = out;
    }

    /** Starts everything and waits until every service is ready; on failure stops what it started. */
    public static ChaosStack start(Ports ports, Path root, Path runDir, String adminToken, long timeoutSeconds,
                                   Consumer<String> out) {
        Path logs = createDirectories(runDir.resolve("logs"));
        for (int port : extraPorts(ports)) {
            if (!Platform.Prerequisites.isFree(port)) {
                throw new PlatformException("port " + port + " (a second replica) is in use; choose another offset");
            }
        }
        PlatformPlan plan = new PlatformPlan(ports, root.resolve("models/dragon-moe-mini"), "sk-chaos-dev-unused",
                "chaos-signing-" + Long.toHexString(System.nanoTime()));
        Redis redis = Redis.start(ports.redis(), runDir, logs);
        out.accept("  started " + redis.description());
        KafkaBrokerProcess kafka = null;
        ChaosStack stack = null;
        try {
            kafka = KafkaBrokerProcess.start(logs, timeoutSeconds);
            out.accept("  started Kafka (KRaft, own JVM, pid " + kafka.pid() + ") on " + kafka.bootstrap());
            List<ServiceSpec> specs = shape(plan.services(kafka.bootstrap()), ports, plan.bundle(), adminToken);
            Map<ServiceSpec, Path> byspec = Platform.snapshot(Platform.Prerequisites.jars(specs, root), runDir.resolve("jars"));
            Map<String, Path> jars = new LinkedHashMap<>();
            byspec.forEach((s, j) -> jars.put(s.name(), j));
            stack = new ChaosStack(ports, root, logs, adminToken, plan.signingKey(), redis, kafka, jars, out);
            for (ServiceSpec s : specs) {
                stack.specs.put(s.name(), s);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            for (ServiceProcess p : Platform.startServices(byspec, root, logs, List.of(), deadline, out)) {
                stack.running.put(p.spec().name(), p);
            }
            return stack;
        } catch (RuntimeException e) {
            if (stack != null) {
                stack.close();
            } else {
                if (kafka != null) {
                    kafka.close();
                }
                redis.close();
            }
            throw e;
        }
    }

    /** {@code ./dragon up}'s services with a second g0 replica, a second router and the gateway over both. */
    static List<ServiceSpec> shape(List<ServiceSpec> base, Ports p, Path bundle, String adminToken) {
        String g0 = "--dragon.router.discovery.static-endpoints.g0=" + HOST + ":" + p.expertGrpc(0) + ","
                + HOST + ":" + (p.expertGrpc(0) + REPLICA_SHIFT);
        List<ServiceSpec> out = new ArrayList<>();
        for (ServiceSpec s : base) {
            switch (s.name()) {
                case "expert-g0" -> {
                    out.add(s);
                    out.add(PlatformPlan.expert("expert-g0-b", "g0", p.expertHttp(0) + REPLICA_SHIFT,
                            p.expertGrpc(0) + REPLICA_SHIFT, bundle));
                }
                case "router" -> {
                    out.add(router(s, "router-a", p.router(), g0));
                    out.add(router(s, "router-b", p.router() + REPLICA_SHIFT, g0));
                }
                case "gateway" -> {
                    List<String> args = new ArrayList<>(s.arguments().stream()
                            .filter(a -> !a.startsWith("--dragon.gateway.upstream.uris=")).toList());
                    args.add("--dragon.gateway.upstream.uris=http://" + HOST + ":" + p.router() + ",http://" + HOST
                            + ":" + (p.router() + REPLICA_SHIFT));
                    args.add("--dragon.gateway.admin.token=" + adminToken);
                    out.add(new ServiceSpec(s.name(), s.module(), s.jvmOptions(), args, s.readiness()));
                }
                default -> out.add(s);
            }
        }
        return out;
    }

    private static ServiceSpec router(ServiceSpec base, String name, int port, String g0) {
        List<String> args = new ArrayList<>(base.arguments().stream()
                .filter(a -> !a.startsWith("--server.port=") && !a.startsWith("--dragon.router.discovery.static-endpoints.g0="))
                .toList());
        args.add("--server.port=" + port);
        args.add(g0);
        return new ServiceSpec(name, base.module(), base.jvmOptions(), args,
                java.net.URI.create("http://" + HOST + ":" + port + "/actuator/health/readiness"));
    }

    static List<Integer> extraPorts(Ports p) {
        return List.of(p.expertHttp(0) + REPLICA_SHIFT, p.expertGrpc(0) + REPLICA_SHIFT, p.router() + REPLICA_SHIFT);
    }

    public Ports ports() {
        return ports;
    }

    public Path logs() {
        return logs;
    }

    public String gatewayBase() {
        return "http://" + HOST + ":" + ports.gateway();
    }

    public String gatewayManagementBase() {
        return "http://" + HOST + ":" + ports.gatewayManagement();
    }

    public GatewayAdmin admin() {
        return new GatewayAdmin("http://" + HOST + ":" + ports.gatewayAdmin(), adminToken);
    }

    /** Base URL ({@code http://host:port}) of a service's HTTP/actuator port, from its readiness URL. */
    public String base(String name) {
        java.net.URI u = specs.get(name).readiness();
        return u.getScheme() + "://" + u.getHost() + ":" + u.getPort();
    }

    public List<String> routerBases() {
        return List.of(base("router-a"), base("router-b"));
    }

    /** The adapter signing key the learner and the routers share. */
    public String signingKey() {
        return signingKey;
    }

    public int redisPort() {
        return ports.redis();
    }

    public long redisPid() {
        return redis.pid().orElseThrow(() -> new PlatformException("Redis runs embedded; faults need redis-server"));
    }

    public KafkaBrokerProcess kafka() {
        return kafka;
    }

    public synchronized ServiceProcess service(String name) {
        return running.get(name);
    }

    /** SIGKILL of one service's JVM. */
    public void kill(String name) {
        Signals.kill(service(name).pid());
    }

    /** Starts a killed service again on the same ports and waits until it is ready. */
    public void restart(String name, long timeoutSeconds) {
        ServiceSpec spec = specs.get(name);
        List<ServiceProcess> started = Platform.startServices(Map.of(spec, jars.get(name)), root, logs, List.of(),
                System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds), out);
        synchronized (this) {
            running.put(name, started.getFirst());
        }
    }

    @Override
    public void close() {
        List<ServiceProcess> all;
        synchronized (this) {
            all = new ArrayList<>(running.values());
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            all.get(i).close();
        }
        kafka.close();
        Signals.resume(redisPid());
        redis.close();
        for (Path jar : new java.util.HashSet<>(jars.values())) {
            try {
                Files.deleteIfExists(jar);                   // hundreds of MB per run
            } catch (IOException e) {
                out.accept("  could not delete " + jar + ": " + e.getMessage());
            }
        }
    }

    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new PlatformException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }
}
