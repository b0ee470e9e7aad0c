package dev.dragon.bench.load;

import dev.dragon.core.bundle.ModelBundle;
import dev.dragon.core.tokenizer.BpeTokenizer;
import dev.dragon.core.tokenizer.ChatMessage;
import dev.dragon.core.tokenizer.ChatTemplate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The same model in PyTorch eager ({@code python3 -m dragon_tools serve-eager}, model-tools): the prompt is
 * tokenized here with the bundle's tokenizer, generated there greedily, timed there (no IPC in the numbers).
 * One request at a time, like a plain eager sampling loop.
 */
final class EagerTarget implements Target {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Process python;
    private final Writer in;
    private final BufferedReader out;
    private final ChatTemplate template;

    EagerTarget(Path python3, Path modelTools, Path bundle, int threads) {
        try {
            template = BpeTokenizer.load(ModelBundle.open(bundle).tokenizerFile()).chatTemplate();
            this.python = new ProcessBuilder(python3.toString(), "-m", "dragon_tools", "serve-eager",
                    "--bundle", bundle.toAbsolutePath().toString(), "--threads", Integer.toString(threads))
                    .directory(modelTools.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            in = new OutputStreamWriter(python.getOutputStream(), StandardCharsets.UTF_8);
            out = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8));
            String ready = out.readLine();
            if (ready == null || !JSON.readTree(ready).path("ready").asBoolean()) {
                throw new IllegalStateException("model-tools serve-eager did not start (is python3-torch installed?)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether Debian's python3 with torch is there to run the baseline. */
    static boolean available(Path python3) {
        try {
            return new ProcessBuilder(python3.toString(), "-c", "import torch").redirectErrorStream(true)
                    .start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String name() {
        return "PyTorch eager";
    }

    @Override
    public int[] concurrencies(int[] requested) {
        return new int[] {1};
    }

    @Override
    public synchronized Outcome run(Workload.Request request) {
        List<ChatMessage> messages = new ArrayList<>();
        if (request.system() != null) {
            messages.add(new ChatMessage("system", request.system()));
        }
        messages.add(new ChatMessage("user", request.user()));
        int[] ids = template.chatPrompt(messages);
        try {
            in.write(JSON.writeValueAsString(Map.of("ids", ids, "max_tokens", Workload.MAX_TOKENS)) + "\n");
            in.flush();
            JsonNode r = JSON.readTree(out.readLine());
            return new Outcome((long) (r.path("ttft_ms").asDouble() * 1e6), (long) (r.path("total_ms").asDouble() * 1e6),
                    r.path("tokens").asInt(), ids.length, false);
        } catch (IOException | RuntimeException e) {
            return Outcome.failure(0);
        }
    }

    @Override
    public void close() {
        python.destroy();
    }
}
