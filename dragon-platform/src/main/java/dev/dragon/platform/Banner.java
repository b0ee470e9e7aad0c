package dev.dragon.platform;

import java.nio.file.Path;

/** What {@code ./dragon up} prints once everything is ready: the URL, a curl to paste, metrics and logs. */
final class Banner {

    private Banner() {
    }

    static String text(PlatformPlan plan, Path runDir, double seconds) {
        Ports p = plan.ports();
        String api = plan.apiBase().toString();
        return """

                Dragon is up in %.1f s.

                  API (OpenAI-compatible):  %s
                  development API key:      %s   (tenant "dev")

                  try it:
                    curl -s %s/chat/completions \\
                      -H "Authorization: Bearer %s" -H "Content-Type: application/json" \\
                      -d '{"model":"dragon-moe-mini","messages":[{"role":"user","content":"What is 12 + 30?"}],"max_tokens":32}'

                  stream it: the same with "stream":true in the body, and curl -N

                  metrics (Prometheus):     gateway http://127.0.0.1:%d/actuator/prometheus
                                            router  http://127.0.0.1:%d/actuator/prometheus
                                            experts http://127.0.0.1:%d/actuator/prometheus, http://127.0.0.1:%d/actuator/prometheus
                                            cache   http://127.0.0.1:%d/actuator/prometheus
                                            learner http://127.0.0.1:%d/actuator/prometheus
                  logs:                     %s

                Ctrl-C (or ./dragon down in another terminal) stops everything.
                """.formatted(seconds, api, plan.devKey(), api, plan.devKey(), p.gatewayManagement(), p.router(),
                p.expertHttp(0), p.expertHttp(1), p.cacheHttp(), p.learner(), runDir.resolve("logs"));
    }
}
