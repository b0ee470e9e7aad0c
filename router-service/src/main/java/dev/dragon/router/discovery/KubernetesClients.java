package dev.dragon.router.discovery;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/** Builds the API client discovery watches with. */
public final class KubernetesClients {

    private KubernetesClients() {
    }

    /**
     * {@code apiServer} blank: the standard configuration (in a pod, its service account; elsewhere
     * {@code $KUBECONFIG} or {@code ~/.kube/config}); otherwise that URL without credentials (e.g.
     * {@code kubectl proxy}). Watches stay open for minutes, so the read timeout is off.
     */
    public static ApiClient client(String apiServer) {
        try {
            ClientBuilder builder = apiServer == null || apiServer.isBlank() ? ClientBuilder.standard()
                    : new ClientBuilder().setBasePath(apiServer);
            return builder.setReadTimeout(Duration.ZERO).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot configure the Kubernetes API client", e);
        }
    }
}
