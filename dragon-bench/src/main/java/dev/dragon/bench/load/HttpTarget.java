package dev.dragon.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The platform over its OpenAI API: streamed chat completions, timed at the client from the request to the
 * first and last content chunk, tokens (and prompt tokens restored from the KV-state cache) counted from the usage the
 * server reports; counts the {@code x-dragon-cache} answers.
 */
final class HttpTarget implements Target {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String name;
    private final URI chat;
    private final String apiKey;
    private final boolean responseCache;
    private final int maxTokens;
    private volatile String lastServerTiming;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, LongAdder> cache = new ConcurrentHashMap<>();

    /** {@code base} like {@code http://127.0.0.1:8080}; {@code responseCache} false sends {@code dragon.cache=false}. */
    HttpTarget(String name, String base, String apiKey, boolean responseCache) {
        this(name, base, apiKey, responseCache, Workload.MAX_TOKENS);
    }

    HttpTarget(String name, String base, String apiKey, boolean responseCache, int maxTokens) {
        this.maxTokens = maxTokens;
        this.name = name;
        this.chat = URI.create(base + "/v1/chat/completions");
        this.apiKey = apiKey;
        this.responseCache = responseCache;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Outcome run(Workload.Request request) {
        List<Map<String, String>> messages = new ArrayList<>();
        if (request.system() != null) {
            messages.add(Map.of("role", "system", "content", request.system()));
        }
        messages.add(Map.of("role", "user", "content", request.user()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", "dragon-moe-mini");
        body.put("messages", messages);
        body.put("temperature", 0);
        body.put("max_tokens", maxTokens);
        body.put("stream", true);
        body.put("stream_options", Map.of("include_usage", true));
        body.put("dragon", Map.of("ignore_eos", true, "cache", responseCache));
        HttpRequest.Builder b = HttpRequest.newBuilder(chat).timeout(Duration.ofMinutes(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        long t0 = System.nanoTime();
        try {
            HttpResponse<Stream<String>> r = http.send(b.build(), HttpResponse.BodyHandlers.ofLines());
            if (r.statusCode() != 200) {
                r.body().close();
                return Outcome.failure(System.nanoTime() - t0);
            }
            String outcome = r.headers().firstValue("x-dragon-cache").orElse("none")
                    + r.headers().firstValue("x-dragon-cache-tier").map(t -> " " + t).orElse("");
            cache.computeIfAbsent(outcome, k -> new LongAdder()).increment();
            lastServerTiming = r.headers().firstValue("Server-Timing").orElse(null);
            long first = 0;
            int contentChunks = 0;
            int completion = -1;
            int prompt = 0;
            int cached = -1;
            Iterator<String> lines = r.body().iterator();
            while (lines.hasNext()) {
                String line = lines.next();
                if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
                    continue;
                }
                JsonNode chunk = JSON.readTree(line.substring(6));
                JsonNode choices = chunk.path("choices");
                if (choices.size() > 0 && !choices.get(0).path("delta").path("content").asString("").isEmpty()) {
                    contentChunks++;
                    if (first == 0) {
                        first = System.nanoTime();   // a token decoding to "" sends no chunk: TTFT is the first text
                    }
                }
                if (chunk.path("usage").isObject()) {
                    prompt = chunk.path("usage").path("prompt_tokens").asInt();
                    completion = chunk.path("usage").path("completion_tokens").asInt();
                    JsonNode details = chunk.path("usage").path("prompt_tokens_details");
                    cached = details.path("cached_tokens").isNumber() ? details.path("cached_tokens").asInt() : -1;
                }
            }
            // count what the server says it generated (a token can decode to an empty chunk); chunks only without usage
            int tokens = completion >= 0 ? completion : contentChunks;
            return new Outcome(first == 0 ? 0 : first - t0, System.nanoTime() - t0, tokens, prompt, tokens == 0, cached);
        } catch (IOException e) {
            return Outcome.failure(System.nanoTime() - t0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.failure(System.nanoTime() - t0);
        }
    }

    /** The {@code Server-Timing} header of the last answer (null when it had none). */
    String lastServerTiming() {
        return lastServerTiming;
    }

    /** {@code x-dragon-cache} value (with {@code x-dragon-cache-tier} on hits: {@code hit near}) → responses, since the last call. */
    Map<String, Long> takeCacheCounts() {
        Map<String, Long> m = new LinkedHashMap<>();
        cache.forEach((k, v) -> m.put(k, v.sumThenReset()));
        return m;
    }

    @Override
    public void close() {
        http.close();
    }
}
