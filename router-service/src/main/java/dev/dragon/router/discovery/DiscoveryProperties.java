package dev.dragon.router.discovery;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the router finds expert-group replicas ({@code dragon.router.discovery.*}); nested in the router's
 * one properties record.
 *
 * @param mode            {@code static}: {@code staticEndpoints}; {@code kubernetes}: EndpointSlices
 * @param staticEndpoints group → {@code host:port} of each replica (static mode)
 * @param kubernetes      EndpointSlice watch settings (kubernetes mode)
 */
public record DiscoveryProperties(@NotNull @DefaultValue("static") Mode mode,
                                  @NotNull @DefaultValue Map<String, List<String>> staticEndpoints,
                                  @Valid @NotNull @DefaultValue Kubernetes kubernetes) {

    /** Discovery implementations. */
    public enum Mode { STATIC, KUBERNETES }

    public DiscoveryProperties {
        staticEndpoints.forEach((group, list) -> list.stream().filter(s -> !s.isBlank()).forEach(s -> {
            try {
                ReplicaEndpoint.parse(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("dragon.router.discovery.static-endpoints." + group + ": "
                        + e.getMessage(), e);
            }
        }));
    }

    /**
     * @param namespace namespace of the expert groups' Services
     * @param labelKey  EndpointSlice label holding the group name
     * @param portName  name of the gRPC port in the slices
     * @param apiServer API server URL; blank = in-cluster service account, or kubeconfig
     * @param resync    how often the informer replays its cache to refresh the replica lists (0 = never)
     */
    public record Kubernetes(@NotBlank @DefaultValue("default") String namespace,
                             @NotBlank @DefaultValue("dragon.dev/expert-group") String labelKey,
                             @NotBlank @DefaultValue("grpc") String portName,
                             @NotNull @DefaultValue("") String apiServer,
                             @NotNull @DefaultValue("5m") Duration resync) {
    }
}
