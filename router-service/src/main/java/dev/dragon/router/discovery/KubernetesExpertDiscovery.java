package dev.dragon.router.discovery;

import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.DiscoveryV1Api;
import io.kubernetes.client.openapi.models.DiscoveryV1EndpointPort;
import io.kubernetes.client.openapi.models.V1Endpoint;
import io.kubernetes.client.openapi.models.V1EndpointSlice;
import io.kubernetes.client.openapi.models.V1EndpointSliceList;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicas from the {@code EndpointSlice}s of the expert groups' Services, watched with the Kubernetes Java
 * client's shared informer (list, then watch; relists and re-watches on its own when a watch ends).
 *
 * <p>One informer selects every group's slices by label ({@code <labelKey> in (g0, g1, …)}; a group's
 * slices carry {@code <labelKey>=<group>}). A replica is an address of an endpoint whose {@code ready}
 * condition is not false, on the slice's port named {@code portName}. A group's replicas are the union
 * over its slices (large Services have several).
 */
public final class KubernetesExpertDiscovery extends TableDiscovery {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesExpertDiscovery.class);

    private final ApiClient client;
    private final String namespace;
    private final String labelKey;
    private final String portName;
    private final Duration resync;
    private SharedInformerFactory factory;
    private SharedIndexInformer<V1EndpointSlice> informer;

    /**
     * @param client    API client; its read timeout must be 0 for watches ({@link KubernetesClients} builds one)
     * @param namespace namespace of the expert groups' Services
     * @param labelKey  label whose value is the group name
     * @param portName  name of the gRPC port in the slices
     * @param groups    the groups to watch
     * @param resync    how often the informer replays its cache (0 = never)
     */
    public KubernetesExpertDiscovery(ApiClient client, String namespace, String labelKey, String portName,
                                     Set<String> groups, Duration resync) {
        super("kubernetes", groups);
        this.client = client;
        this.namespace = namespace;
        this.labelKey = labelKey;
        this.portName = portName;
        this.resync = resync;
    }

    /** The label selector sent with every list and watch: {@code key in (g0,g1)}. */
    public String labelSelector() {
        return labelKey + " in (" + String.join(",", new TreeSet<>(table.groups())) + ")";
    }

    @Override
    public synchronized void start() {
        if (factory != null) {
            return;
        }
        DiscoveryV1Api api = new DiscoveryV1Api(client);
        String selector = labelSelector();
        factory = new SharedInformerFactory(client);
        informer = factory.sharedIndexInformerFor(params -> api.listNamespacedEndpointSlice(namespace)
                        .labelSelector(selector)
                        .resourceVersion(params.resourceVersion)
                        .watch(params.watch)
                        .timeoutSeconds(params.timeoutSeconds)
                        .buildCall(null),
                V1EndpointSlice.class, V1EndpointSliceList.class, resync.toMillis(),
                (type, error) -> LOG.warn("watching EndpointSlices in {} ({}) failed, retrying: {}", namespace,
                        selector, error.toString()));
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(V1EndpointSlice slice) {
                refresh();
            }

            @Override
            public void onUpdate(V1EndpointSlice before, V1EndpointSlice after) {
                refresh();
            }

            @Override
            public void onDelete(V1EndpointSlice slice, boolean finalStateUnknown) {
                refresh();
            }
        });
        LOG.info("watching EndpointSlices in namespace {} with selector '{}', port '{}'", namespace, selector, portName);
        factory.startAllRegisteredInformers();
    }

    /** Recomputes every group from the informer's cache (always the latest state, so order of events cannot matter). */
    private void refresh() {
        Map<String, List<ReplicaEndpoint>> byGroup = new HashMap<>();
        for (String g : table.groups()) {
            byGroup.put(g, new ArrayList<>());
        }
        for (V1EndpointSlice slice : informer.getIndexer().list()) {
            String group = slice.getMetadata() == null || slice.getMetadata().getLabels() == null ? null
                    : slice.getMetadata().getLabels().get(labelKey);
            List<ReplicaEndpoint> into = group == null ? null : byGroup.get(group);
            if (into != null) {
                into.addAll(readyEndpoints(slice));
            }
        }
        byGroup.forEach(table::put);
    }

    private List<ReplicaEndpoint> readyEndpoints(V1EndpointSlice slice) {
        Integer port = null;
        for (DiscoveryV1EndpointPort p : slice.getPorts() == null ? List.<DiscoveryV1EndpointPort>of() : slice.getPorts()) {
            if (portName.equals(p.getName()) && p.getPort() != null) {
                port = p.getPort();
            }
        }
        List<ReplicaEndpoint> out = new ArrayList<>();
        if (port == null || slice.getEndpoints() == null) {
            return out;
        }
        for (V1Endpoint endpoint : slice.getEndpoints()) {
            // "ready" unset means ready (API contract); serving-but-terminating endpoints are not ready.
            boolean ready = endpoint.getConditions() == null || !Boolean.FALSE.equals(endpoint.getConditions().getReady());
            if (ready && endpoint.getAddresses() != null) {
                for (String address : endpoint.getAddresses()) {
                    out.add(new ReplicaEndpoint(address, port));
                }
            }
        }
        return out;
    }

    @Override
    public synchronized void close() {
        super.close();
        if (factory != null) {
            factory.stopAllRegisteredInformers();
        }
    }
}
