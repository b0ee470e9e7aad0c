package dev.dragon.platform;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What {@code ./dragon up} starts and with which settings, in start order: two expert groups, cache-service,
 * online-learning-service, router-service (remote dispatch to the groups, the caches, Kafka events and
 * adapters) and the gateway in front. The Kafka broker's port is chosen by the broker (the embedded KRaft
 * broker does not take a fixed one), so the services get its address when they start. The only place that knows the services' property names; the platform
 * tests start their own topologies from the same {@code expert}/{@code router} specs.
 *
 * @param ports      where everything listens
 * @param bundle     the model bundle every service reads
 * @param devKey     the development API key the gateway bootstraps (tenant {@code dev})
 * @param signingKey adapter signing key shared by the learner and the router
 */
public record PlatformPlan(Ports ports, Path bundle, String devKey, String signingKey) {

    static final String LOCALHOST = "127.0.0.1";

    /** The services, pointed at the Kafka broker {@code kafka} ({@code host:port}, known once it runs). */
    public List<ServiceSpec> services(String kafka) {
        List<ServiceSpec> list = new ArrayList<>();
        for (int g = 0; g < 2; g++) {
            list.add(expert("expert-g" + g, "g" + g, ports.expertHttp(g), ports.expertGrpc(g), bundle));
        }
        list.add(new ServiceSpec("cache", "cache-service", List.of("-Xmx512m"), List.of(
                "--server.port=" + ports.cacheHttp(),
                "--spring.grpc.server.port=" + ports.cacheGrpc(),
                "--spring.data.redis.host=" + LOCALHOST,
                "--spring.data.redis.port=" + ports.redis()),
                health(ports.cacheHttp(), "/actuator/health/readiness")));
        list.add(new ServiceSpec("learner", "online-learning-service", List.of("-Xmx1g"), List.of(
                "--server.port=" + ports.learner(),
                "--dragon.learning.bundle=" + bundle,
                "--dragon.learning.kafka.bootstrap-servers=" + kafka,
                "--dragon.learning.admin.port=" + ports.learnerAdmin(),
                "--dragon.learning.signing-key=" + signingKey),
                health(ports.learner(), "/actuator/health")));
        List<String> routerExtras = List.of(
                "--dragon.router.cache.enabled=true",
                "--dragon.router.cache.target=" + LOCALHOST + ":" + ports.cacheGrpc(),
                "--dragon.router.events.enabled=true",
                "--dragon.router.events.bootstrap-servers=" + kafka,
                "--dragon.router.adapters.enabled=true",
                "--dragon.router.adapters.bootstrap-servers=" + kafka,
                "--dragon.router.adapters.signing-key=" + signingKey);
        list.add(router("router", ports.router(), bundle, expertGroups(), routerExtras));
        list.add(new ServiceSpec("gateway", "gateway-service", List.of("-Xmx512m"), List.of(
                "--server.port=" + ports.gateway(),
                "--management.server.port=" + ports.gatewayManagement(),
                "--dragon.gateway.admin.port=" + ports.gatewayAdmin(),
                "--spring.data.redis.host=" + LOCALHOST,
                "--spring.data.redis.port=" + ports.redis(),
                "--dragon.gateway.upstream.uris=http://" + LOCALHOST + ":" + ports.router(),
                "--dragon.gateway.bootstrap.dev-key=" + devKey,
                // a local stack (and ./dragon bench) must not be throttled by the production default plan
                "--dragon.gateway.default-plan.requests-per-minute=100000",
                "--dragon.gateway.default-plan.tokens-per-minute=100000000",
                "--dragon.gateway.default-plan.max-tokens-per-request=4096"),
                health(ports.gatewayManagement(), "/actuator/health/readiness")));
        return list;
    }

    /** Each expert group's one replica, {@code group → [host:grpcPort]}. */
    public Map<String, List<String>> expertGroups() {
        return Map.of("g0", List.of(LOCALHOST + ":" + ports.expertGrpc(0)),
                "g1", List.of(LOCALHOST + ":" + ports.expertGrpc(1)));
    }

    /**
     * One replica of expert group {@code group}, given one core the way a pod's CPU limit of 1 would
     * ({@code -XX:ActiveProcessorCount=1}): one ORT intra-op thread, and the JVM's GC, ForkJoin and Netty pools
     * sized for one core, so that two groups and the router do not oversubscribe a small host.
     */
    public static ServiceSpec expert(String name, String group, int httpPort, int grpcPort, Path bundle) {
        return new ServiceSpec(name, "expert-service", List.of("-Xmx512m", "-XX:ActiveProcessorCount=1"), List.of(
                "--dragon.expert.group=" + group,
                "--dragon.expert.bundle=" + bundle,
                "--server.port=" + httpPort,
                "--spring.grpc.server.port=" + grpcPort),
                health(httpPort, "/actuator/health/readiness"));
    }

    /**
     * G1 region size of the router (and of the bench's in-process engine): a decode step's logits are
     * {@code [32, 4096]} floats = 512 KiB, half of the default 1 MiB region, so every step allocated them (twice,
     * with ONNX Runtime's copy) as humongous objects straight into the old generation, and half of the router's
     * collections were humongous-allocation pauses with a concurrent cycle every second. With 4 MiB regions they
     * are ordinary young objects.
     */
    public static final String ROUTER_REGION = "-XX:G1HeapRegionSize=4m";

    /**
     * A router dispatching to the expert groups' replicas ({@code group → host:port}); {@code extras} switch
     * on the caches, events and adapters.
     */
    public static ServiceSpec router(String name, int port, Path bundle, Map<String, List<String>> groups,
                                     List<String> extras) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--dragon.router.model.bundle-path=" + bundle,
                "--dragon.router.dispatch.mode=remote",
                "--dragon.router.discovery.mode=static"));
        groups.forEach((g, replicas) -> args.add("--dragon.router.discovery.static-endpoints." + g + "="
                + replicas.stream().collect(Collectors.joining(","))));
        args.addAll(extras);
        return new ServiceSpec(name, "router-service", List.of("-Xmx2g", ROUTER_REGION), args,
                health(port, "/actuator/health/readiness"));
    }

    public URI apiBase() {
        return URI.create("http://" + LOCALHOST + ":" + ports.gateway() + "/v1");
    }

    private static URI health(int port, String path) {
        return URI.create("http://" + LOCALHOST + ":" + port + path);
    }
}
