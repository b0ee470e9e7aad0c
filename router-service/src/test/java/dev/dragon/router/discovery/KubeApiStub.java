package dev.dragon.router.discovery;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1EndpointSlice;
import io.kubernetes.client.openapi.models.V1EndpointSliceList;
import io.kubernetes.client.openapi.models.V1ListMeta;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local HTTP server speaking the Kubernetes API's list/watch protocol for {@code discovery.k8s.io/v1}
 * EndpointSlices, enough for the Java client's informer: {@code GET .../namespaces/<ns>/endpointslices}
 * answers a list with a resourceVersion; with {@code watch=true} it streams (chunked) one JSON event per line
 * ({@code ADDED}/{@code MODIFIED}/{@code DELETED}) after the given resourceVersion, until the watch's
 * timeout or {@link #closeWatches()}. Label selectors {@code k=v}, {@code k in (a,b)} and {@code k} filter.
 */
final class KubeApiStub implements AutoCloseable {

    private static final Pattern PATH = Pattern.compile("/apis/discovery\\.k8s\\.io/v1/namespaces/([^/]+)/endpointslices");

    private record Event(long version, String type, String namespace, V1EndpointSlice slice) {
    }

    private final HttpServer server;
    private final Map<String, V1EndpointSlice> slices = new LinkedHashMap<>();   // "ns/name" → slice
    private final List<Event> events = new ArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private long version = 100;
    private int watchGeneration;

    KubeApiStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every request's path and query, in order. */
    List<String> requests() {
        return requests;
    }

    /** Creates or replaces a slice (ADDED or MODIFIED). */
    synchronized void put(String namespace, V1EndpointSlice slice) {
        String key = namespace + "/" + slice.getMetadata().getName();
        String type = slices.containsKey(key) ? "MODIFIED" : "ADDED";
        slice.getMetadata().namespace(namespace).resourceVersion(Long.toString(++version));
        slices.put(key, slice);
        events.add(new Event(version, type, namespace, slice));
        notifyAll();
    }

    /** Deletes a slice (DELETED). */
    synchronized void delete(String namespace, String name) {
        V1EndpointSlice slice = slices.remove(namespace + "/" + name);
        if (slice != null) {
            slice.getMetadata().resourceVersion(Long.toString(++version));
            events.add(new Event(version, "DELETED", namespace, slice));
            notifyAll();
        }
    }

    /** Ends every open watch stream (as an API server does on its timeout); the informer must re-watch. */
    synchronized void closeWatches() {
        watchGeneration++;
        notifyAll();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String query = exchange.getRequestURI().getRawQuery();
            requests.add(exchange.getRequestURI().getPath() + (query == null ? "" : "?" + query));
            Matcher m = PATH.matcher(exchange.getRequestURI().getPath());
            if (!"GET".equals(exchange.getRequestMethod()) || !m.matches()) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            Map<String, String> params = params(query);
            String namespace = m.group(1);
            String selector = params.getOrDefault("labelSelector", "");
            if ("true".equals(params.get("watch"))) {
                watch(exchange, namespace, selector, Long.parseLong(params.getOrDefault("resourceVersion", "0")),
                        Integer.parseInt(params.getOrDefault("timeoutSeconds", "60")));
            } else {
                list(exchange, namespace, selector);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("kube api stub: " + exchange.getRequestURI() + " failed: " + e);
            e.printStackTrace();
            throw e;
        }
    }

    private void list(HttpExchange exchange, String namespace, String selector) throws IOException {
        V1EndpointSliceList list;
        synchronized (this) {
            list = new V1EndpointSliceList().apiVersion("discovery.k8s.io/v1").kind("EndpointSliceList")
                    .metadata(new V1ListMeta().resourceVersion(Long.toString(version)));
            slices.forEach((key, slice) -> {
                if (key.startsWith(namespace + "/") && matches(selector, slice)) {
                    list.addItemsItem(slice);
                }
            });
        }
        byte[] body = JSON.serialize(list).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
    }

    private void watch(HttpExchange exchange, String namespace, String selector, long from, int timeoutSeconds)
            throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0);                                  // chunked
        OutputStream out = exchange.getResponseBody();
        long endAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.min(timeoutSeconds, 60));
        long seen = from;
        int generation;
        synchronized (this) {
            generation = watchGeneration;
        }
        while (true) {
            List<Event> next = new ArrayList<>();
            synchronized (this) {
                for (Event e : events) {
                    if (e.version > seen && e.namespace.equals(namespace) && matches(selector, e.slice)) {
                        next.add(e);
                    }
                }
                if (!events.isEmpty()) {
                    seen = Math.max(seen, events.getLast().version);
                }
                if (next.isEmpty()) {
                    long left = endAt - System.nanoTime();
                    if (left <= 0 || generation != watchGeneration) {
                        return;
                    }
                    try {
                        wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    continue;
                }
            }
            for (Event e : next) {
                Map<String, Object> event = Map.of("type", e.type, "object", e.slice);
                out.write((JSON.serialize(event) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
        }
    }

    /** Equality, set-based ({@code in}) and existence requirements, comma-separated outside parentheses. */
    static boolean matches(String selector, V1EndpointSlice slice) {
        Map<String, String> labels = slice.getMetadata().getLabels() == null ? Map.of() : slice.getMetadata().getLabels();
        for (String req : selector.split(",(?![^()]*\\))")) {
            String r = req.strip();
            if (r.isEmpty()) {
                continue;
            }
            Matcher in = Pattern.compile("(\\S+)\\s+in\\s+\\((.*)\\)").matcher(r);
            boolean ok;
            if (in.matches()) {
                String value = labels.get(in.group(1));
                ok = value != null && List.of(in.group(2).split("\\s*,\\s*")).contains(value);
            } else if (r.contains("=")) {
                String[] kv = r.split("==?", 2);
                ok = kv[1].strip().equals(labels.get(kv[0].strip()));
            } else {
                ok = labels.containsKey(r);
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> params(String query) {
        Map<String, String> out = new HashMap<>();
        if (query != null) {
            for (String p : query.split("&")) {
                int eq = p.indexOf('=');
                out.put(URLDecoder.decode(eq < 0 ? p : p.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Override
    public synchronized void close() {
        watchGeneration++;
        notifyAll();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
