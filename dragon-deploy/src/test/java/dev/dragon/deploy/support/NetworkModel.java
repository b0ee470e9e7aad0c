package dev.dragon.deploy.support;

import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1NetworkPolicyPeer;
import io.kubernetes.client.openapi.models.V1NetworkPolicyPort;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Evaluates the rendered NetworkPolicies the way a CNI does (for matchLabels selectors, named and numbered
 * ports): may this peer open a TCP connection to that peer on that port? Both the destination's ingress and
 * the source's egress must allow it. ipBlock peers are taken to match everything outside the cluster.
 */
public final class NetworkModel {

    /**
     * One end of a connection: a pod (its namespace's labels, its labels, its container ports) or a
     * destination outside the cluster.
     */
    public record Peer(String description, String namespace, Map<String, String> namespaceLabels,
                       Map<String, String> podLabels, List<V1ContainerPort> ports, boolean external) {

        public static Peer external(String description) {
            return new Peer(description, null, Map.of(), Map.of(), List.of(), true);
        }

        public static Peer pod(String description, String namespace, Map<String, String> podLabels) {
            return new Peer(description, namespace, Map.of("kubernetes.io/metadata.name", namespace), podLabels,
                    List.of(), false);
        }

        public static Peer of(V1Deployment deployment) {
            String namespace = deployment.getMetadata().getNamespace();
            List<V1ContainerPort> ports = Pods.containers(deployment).stream()
                    .flatMap(c -> c.getPorts() == null ? java.util.stream.Stream.empty() : c.getPorts().stream()).toList();
            return new Peer(deployment.getMetadata().getName(), namespace,
                    Map.of("kubernetes.io/metadata.name", namespace), Pods.podLabels(deployment), ports, false);
        }
    }

    private final List<V1NetworkPolicy> policies;

    public NetworkModel(List<V1NetworkPolicy> policies) {
        this.policies = List.copyOf(policies);
    }

    /** Whether {@code from} may connect to {@code to} on TCP {@code port}. */
    public boolean allows(Peer from, Peer to, int port) {
        return allowedBy(from, "Egress", to, to, port) && allowedBy(to, "Ingress", from, to, port);
    }

    /** One ingress or egress rule: its ports and its peers (from or to). */
    private record Rule(List<V1NetworkPolicyPort> ports, List<V1NetworkPolicyPeer> peers) {
    }

    /**
     * Whether the policies of {@code subject} (the source for Egress, the destination for Ingress) let it
     * talk to {@code other}; {@code destination} owns the port.
     */
    private boolean allowedBy(Peer subject, String type, Peer other, Peer destination, int port) {
        if (subject.external()) {
            return true;
        }
        List<V1NetworkPolicy> isolating = isolating(subject, type);
        return isolating.isEmpty() || isolating.stream().flatMap(p -> rules(p, type).stream())
                .anyMatch(rule -> portMatches(rule.ports(), destination, port)
                        && peersMatch(rule.peers(), other, subject.namespace()));
    }

    private static List<Rule> rules(V1NetworkPolicy policy, String type) {
        if (type.equals("Ingress")) {
            return policy.getSpec().getIngress() == null ? List.of()
                    : policy.getSpec().getIngress().stream().map(r -> new Rule(r.getPorts(), r.getFrom())).toList();
        }
        return policy.getSpec().getEgress() == null ? List.of()
                : policy.getSpec().getEgress().stream().map(r -> new Rule(r.getPorts(), r.getTo())).toList();
    }

    /** Policies in the pod's namespace that select it and have the given policy type. */
    private List<V1NetworkPolicy> isolating(Peer pod, String type) {
        return policies.stream()
                .filter(p -> Objects.equals(p.getMetadata().getNamespace(), pod.namespace()))
                .filter(p -> selects(p.getSpec().getPodSelector(), pod.podLabels()))
                .filter(p -> p.getSpec().getPolicyTypes().contains(type))
                .toList();
    }

    private static boolean portMatches(List<V1NetworkPolicyPort> ports, Peer destination, int port) {
        if (ports == null || ports.isEmpty()) {
            return true;
        }
        return ports.stream().anyMatch(p -> {
            IntOrString value = p.getPort();
            if (value == null) {
                return true;
            }
            if (value.isInteger()) {
                return value.getIntValue() == port;
            }
            return destination.ports().stream()
                    .anyMatch(cp -> value.getStrValue().equals(cp.getName()) && cp.getContainerPort() == port);
        });
    }

    /** Whether a rule's peers match a peer; {@code policyNamespace} is the namespace of the policy's pods. */
    private static boolean peersMatch(List<V1NetworkPolicyPeer> peers, Peer peer, String policyNamespace) {
        if (peers == null || peers.isEmpty()) {
            return true;
        }
        return peers.stream().anyMatch(p -> {
            if (p.getIpBlock() != null) {
                return peer.external();
            }
            if (peer.external()) {
                return false;
            }
            boolean namespaceOk = p.getNamespaceSelector() == null
                    ? Objects.equals(peer.namespace(), policyNamespace)
                    : selects(p.getNamespaceSelector(), peer.namespaceLabels());
            boolean podOk = p.getPodSelector() == null || selects(p.getPodSelector(), peer.podLabels());
            return namespaceOk && podOk;
        });
    }

    /** matchLabels semantics; an empty selector selects everything. */
    private static boolean selects(V1LabelSelector selector, Map<String, String> labels) {
        if (selector.getMatchExpressions() != null && !selector.getMatchExpressions().isEmpty()) {
            throw new IllegalStateException("matchExpressions are not modelled: " + selector);
        }
        Map<String, String> match = selector.getMatchLabels();
        return match == null || match.isEmpty() || labels.entrySet().containsAll(match.entrySet());
    }
}
