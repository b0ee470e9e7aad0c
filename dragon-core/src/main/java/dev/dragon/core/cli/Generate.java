package dev.dragon.core.cli;

import dev.dragon.core.engine.Completion;
import dev.dragon.core.engine.EngineException;
import dev.dragon.core.engine.EngineObserver;
import dev.dragon.core.engine.EngineOptions;
import dev.dragon.core.engine.GeneratedToken;
import dev.dragon.core.engine.GenerationRequest;
import dev.dragon.core.engine.LocalEngine;
import dev.dragon.core.engine.TokenSink;
import dev.dragon.core.gating.GatingPolicy;
import dev.dragon.core.runtime.RuntimeOptions;
import dev.dragon.core.sampling.SamplingParams;
import dev.dragon.core.tokenizer.ChatMessage;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;

/**
 * {@code ./dragon generate "prompt" [options]}: one completion from the in-process engine, streamed
 * to the terminal, with a one-line summary (tokens, speed, experts per token) on stderr.
 */
public final class Generate {

    private static final String USAGE = """
            usage: dragon generate [options] "<prompt>"
              --chat                 treat the prompt as a user chat message (default: plain completion)
              --system TEXT          system message (implies --chat)
              --max-tokens N         tokens to generate (default 64)
              --temperature T        0 = greedy (default 0.8)
              --top-p P              nucleus sampling (default 0.95)
              --top-k K              0 = off (default 0)
              --seed N               reproducible sampling
              --adaptive P           adaptive expert routing: top-p P over affinities, 1..4 experts
              --bundle DIR           model bundle (default models/dragon-moe-mini)
              --experts              print the routed experts of every token
            """;

    private Generate() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("dragon generate: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        if (!Files.isDirectory(o.bundle)) {
            err.println("dragon generate: no model bundle at " + o.bundle.toAbsolutePath()
                    + " (pass --bundle DIR, or run from the repository root)");
            return 2;
        }
        GatingPolicy gating = o.adaptiveTopP > 0 ? GatingPolicy.adaptive(o.adaptiveTopP, 1, 4) : null;
        try (LocalEngine engine = LocalEngine.open(o.bundle, new EngineOptions(1, 1, 256), RuntimeOptions.defaults(),
                gating, EngineObserver.NONE)) {
            var template = engine.model().tokenizer().chatTemplate();
            boolean chat = o.chat || o.system != null;
            int[] prompt;
            int[] stops;
            if (chat) {
                List<ChatMessage> messages = new ArrayList<>();
                if (o.system != null) {
                    messages.add(new ChatMessage("system", o.system));
                }
                messages.add(new ChatMessage("user", o.prompt));
                prompt = template.chatPrompt(messages);
                stops = template.chatStopIds();
            } else {
                prompt = template.completionPrompt(o.prompt);
                stops = template.completionStopIds();
            }
            PrintStream utf8 = new PrintStream(out, true, StandardCharsets.UTF_8);
            if (!chat) {
                utf8.print(o.prompt);
            }
            long start = System.nanoTime();
            var handle = engine.submit(new GenerationRequest("cli", prompt, stops, o.sampling, o.showExperts,
                    new TokenSink() {
                        @Override
                        public void onToken(GeneratedToken t) {
                            utf8.print(t.text());
                            if (t.experts() != null) {
                                utf8.print(expertsOf(t.experts()));
                            }
                            utf8.flush();
                        }

                        @Override
                        public void onFinish(Completion c) {
                            utf8.println(c.tailText());
                        }

                        @Override
                        public void onError(EngineException e) {
                            utf8.println();
                        }
                    }));
            Completion c;
            try {
                c = handle.completion().get();
            } catch (ExecutionException e) {
                err.println("dragon generate: " + e.getCause().getMessage());
                return 1;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            err.printf(Locale.ROOT, "[%d prompt + %d generated tokens, %.1f tokens/s, first token %.0f ms, "
                            + "%.2f routed experts/token, finish: %s]%n",
                    c.promptTokens(), c.completionTokens(), c.completionTokens() / seconds,
                    c.firstTokenNanos() / 1e6, engine.routingStats().averageExpertsPerToken(),
                    c.reason().openAiName());
            return 0;
        }
    }

    private static String expertsOf(int[][] experts) {
        StringBuilder sb = new StringBuilder("⟨");
        for (int l = 0; l < experts.length; l++) {
            if (l > 0) {
                sb.append('|');
            }
            for (int j = 0; j < experts[l].length; j++) {
                sb.append(j > 0 ? "," : "").append(experts[l][j]);
            }
        }
        return sb.append('⟩').toString();
    }

    private record Options(String prompt, boolean chat, String system, SamplingParams sampling, Path bundle,
                           double adaptiveTopP, boolean showExperts) {

        static Options parse(String[] args) {
            String prompt = null;
            boolean chat = false;
            String system = null;
            Path bundle = Path.of("models", "dragon-moe-mini");
            double adaptive = 0;
            boolean experts = false;
            SamplingParams.Builder sampling = SamplingParams.builder().maxTokens(64).temperature(0.8).topP(0.95);
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--chat" -> chat = true;
                    case "--experts" -> experts = true;
                    case "--system" -> system = value(args, ++i, a);
                    case "--bundle" -> bundle = Path.of(value(args, ++i, a));
                    case "--max-tokens" -> sampling.maxTokens(intValue(args, ++i, a));
                    case "--temperature" -> sampling.temperature(doubleValue(args, ++i, a));
                    case "--top-p" -> sampling.topP(doubleValue(args, ++i, a));
                    case "--top-k" -> sampling.topK(intValue(args, ++i, a));
                    case "--seed" -> sampling.seed((long) intValue(args, ++i, a));
                    case "--adaptive" -> adaptive = doubleValue(args, ++i, a);
                    case "-h", "--help" -> throw new IllegalArgumentException("help");
                    default -> {
                        if (a.startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + a);
                        }
                        if (prompt != null) {
                            throw new IllegalArgumentException("one prompt only (quote it)");
                        }
                        prompt = a;
                    }
                }
            }
            if (prompt == null) {
                throw new IllegalArgumentException("a prompt is required");
            }
            return new Options(prompt, chat, system, sampling.build(), bundle, adaptive, experts);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static int intValue(String[] args, int i, String option) {
            try {
                return Integer.parseInt(value(args, i, option));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs a whole number");
            }
        }

        private static double doubleValue(String[] args, int i, String option) {
            try {
                return Double.parseDouble(value(args, i, option));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs a number");
            }
        }
    }
}
