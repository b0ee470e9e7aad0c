package dev.dragon.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.deploy.metrics.MonitoredMetrics;
import dev.dragon.platform.chaos.Chaos;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./dragon up}'s launcher as a real process: every service, Redis and Kafka start; a completion and a
 * stream come back through the gateway with the development key; SIGINT (Ctrl-C) stops everything and
 * leaves no process and no bound port behind.
 */
class PlatformUpIT {

    private static final String KEY = "sk-dragon-dev-platform-it";

    @Test
    void up_servesThroughTheGateway_andCtrlC_leavesNoProcessBehind() throws Exception {
        Ports ports = Chaos.freePorts();
        Launched up = launch(ports, "--dev-key", KEY, "--timeout", "420");
        try {
            up.awaitLine("Dragon is up", TimeUnit.MINUTES.toNanos(8));
            Api api = new Api("http://127.0.0.1:" + ports.gateway(), KEY);

            HttpResponse<String> whole = api.post("/v1/chat/completions", Map.of("model", "dragon-moe-mini",
                    "messages", List.of(Map.of("role", "user", "content", "What is 12 + 30?")), "max_tokens", 16));
            assertThat(whole.statusCode()).as(whole.body()).isEqualTo(200);
            JsonNode json = Api.json(whole.body());
            assertThat(json.path("choices").get(0).path("message").path("content").asString()).isNotBlank();
            assertThat(json.path("usage").path("completion_tokens").asInt()).isPositive();
            assertThat(whole.headers().firstValue("x-dragon-request-id")).isPresent();

            HttpResponse<Stream<String>> streamed = api.stream("/v1/chat/completions", Map.of(
                    "model", "dragon-moe-mini", "stream", true, "max_tokens", 16,
                    "messages", List.of(Map.of("role", "user", "content", "Tell me a fortune."))));
            assertThat(streamed.statusCode()).isEqualTo(200);
            List<String> data = new ArrayList<>();
            Iterator<String> it = Api.dataLines(streamed.body());
            it.forEachRemaining(data::add);
            assertThat(data).hasSizeGreaterThan(2).last().isEqualTo("[DONE]");
            assertThat(Api.json(data.getFirst()).path("object").asString()).isEqualTo("chat.completion.chunk");

            assertEveryDashboardAndAlertMetric_isExposed(ports);

            List<ProcessHandle> children = up.process().descendants().toList();
            assertThat(children).as("services and redis-server").hasSizeGreaterThanOrEqualTo(6);

            new ProcessBuilder("kill", "-INT", Long.toString(up.process().pid())).start().waitFor();

            assertThat(up.process().waitFor(3, TimeUnit.MINUTES)).as("launcher exits after SIGINT").isTrue();
            assertThat(up.output()).anyMatch(l -> l.contains("dragon up: stopped"));
            Awaitility.await().atMost(30, TimeUnit.SECONDS).untilAsserted(() ->
                    assertThat(children).as("processes left behind").noneMatch(ProcessHandle::isAlive));
            assertThat(ports.all()).allSatisfy((name, port) ->
                    assertThat(Platform.Prerequisites.isFree(port)).as(name + " port " + port + " released").isTrue());
        } finally {
            up.process().descendants().forEach(ProcessHandle::destroyForcibly);
            up.process().destroyForcibly();
        }
    }

    /**
     * Issue 8: every metric a Grafana panel or an alert rule of helm/dragon uses is exposed by some service of
     * the running platform (recording-rule outputs, {@code level:metric:op}, are made by Prometheus itself).
     */
    private static void assertEveryDashboardAndAlertMetric_isExposed(Ports ports) {
        Set<String> exposed = new TreeSet<>();
        for (String url : List.of("http://127.0.0.1:" + ports.gatewayManagement(), "http://127.0.0.1:" + ports.router(),
                "http://127.0.0.1:" + ports.expertHttp(0), "http://127.0.0.1:" + ports.expertHttp(1),
                "http://127.0.0.1:" + ports.cacheHttp(), "http://127.0.0.1:" + ports.learner())) {
            new Api(url, null).get("/actuator/prometheus").lines()
                    .map(l -> l.startsWith("# TYPE ") ? l.substring(7).split(" ")[0] : l.split("[{ ]")[0])
                    .filter(n -> !n.isBlank() && !n.startsWith("#")).forEach(exposed::add);
        }
        List<MonitoredMetrics.Reference> missing = MonitoredMetrics.fromChart(Stacks.root().resolve("helm/dragon"))
                .missingFrom(exposed).stream().filter(r -> !r.metric().contains(":")).toList();
        assertThat(missing).as("dashboard and alert metrics no running service exposes").isEmpty();
    }

    @Test
    void up_refusesWithAClearMessage_whenAPortIsTaken() throws Exception {
        Ports ports = Chaos.freePorts();
        try (ServerSocket taken = new ServerSocket(ports.router(), 1, InetAddress.getLoopbackAddress())) {
            Launched up = launch(ports);
            assertThat(up.process().waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(up.process().exitValue()).isEqualTo(1);
            assertThat(String.join("\n", up.output()))
                    .contains("port " + ports.router() + " (router-service) is already in use")
                    .doesNotContain("Exception", "\tat ");
            assertThat(up.process().descendants().toList()).isEmpty();
        }
    }

    private static Launched launch(Ports ports, String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ServiceProcess.javaBinary(), "-cp",
                System.getProperty("java.class.path"), Up.class.getName(),
                "--port-offset", Integer.toString(ports.offset()),
                "--run-dir", Stacks.root().resolve("dragon-platform/target/up-it-" + ports.offset()).toString()));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).directory(Stacks.root().toFile()).redirectErrorStream(true).start();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                r.lines().forEach(lines::add);
            } catch (IOException e) {
                lines.add("(output closed: " + e.getMessage() + ")");
            }
        }, "up-output");
        reader.setDaemon(true);
        reader.start();
        return new Launched(p, lines);
    }

    /** The launcher process and what it printed so far. */
    private record Launched(Process process, List<String> output) {

        void awaitLine(String text, long timeoutNanos) throws InterruptedException {
            long deadline = System.nanoTime() + timeoutNanos;
            while (output.stream().noneMatch(l -> l.contains(text))) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("the launcher did not print '" + text + "'; its output:\n"
                            + String.join("\n", output));
                }
                Thread.sleep(200);
            }
        }

        public List<String> output() {
            synchronized (output) {
                return List.copyOf(output);
            }
        }
    }
}
