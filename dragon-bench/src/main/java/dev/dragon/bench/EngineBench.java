package dev.dragon.bench;

import dev.dragon.bench.engine.DecodeBenchmark;
import dev.dragon.bench.engine.ModelFlops;
import dev.dragon.bench.engine.OrtCeilingBenchmark;
import dev.dragon.bench.engine.PrefillBenchmark;
import dev.dragon.bench.report.Machine;
import dev.dragon.core.bundle.Architecture;
import dev.dragon.core.bundle.ModelBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./dragon bench --engine local}: JMH runs of LocalEngine decode (1, 8, 32 concurrent
 * sequences), prefill, and ORT on the model's matmul graphs; prints the table and the compute
 * ceiling, writes {@code results/engine-bench.json}.
 */
public final class EngineBench {

    private EngineBench() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        Path bundle = Path.of(args.length > 0 ? args[0] : "models/dragon-moe-mini");
        Path out = Path.of(args.length > 1 ? args[1] : "results");
        String threads = String.valueOf(Math.min(8, Runtime.getRuntime().availableProcessors()));
        Collection<RunResult> runs = new Runner(new OptionsBuilder()
                .include(DecodeBenchmark.class.getSimpleName())
                .include(PrefillBenchmark.class.getSimpleName())
                .include(OrtCeilingBenchmark.class.getSimpleName())
                .param("bundle", bundle.toString())
                .param("threads", threads)
                .build()).run();

        Architecture arch = ModelBundle.open(bundle).architecture();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("machine", Machine.describe());
        report.put("when", Instant.now().toString());
        report.put("ort_threads", Integer.parseInt(threads));
        Map<String, Double> decode = new LinkedHashMap<>();
        double prefill = 0;
        double sharedUs = 0;
        double headUs = 0;
        int rows = 32;
        for (RunResult r : runs) {
            String name = r.getParams().getBenchmark();
            double score = r.getPrimaryResult().getScore();
            if (name.endsWith("decode")) {
                int c = Integer.parseInt(r.getParams().getParam("concurrency"));
                decode.put(String.valueOf(c), c * 64 / (score / 1000.0));
            } else if (name.endsWith("prefill")) {
                prefill = Integer.parseInt(r.getParams().getParam("promptTokens")) / (score / 1000.0);
            } else if (name.endsWith("sharedExpert")) {
                sharedUs = score;
                rows = Integer.parseInt(r.getParams().getParam("rows"));
            } else if (name.endsWith("head")) {
                headUs = score;
            }
        }
        double flops = ModelFlops.sharedExpert(arch, rows) + ModelFlops.head(arch, rows);
        double gflops = flops / ((sharedUs + headUs) * 1e3);
        double perToken = ModelFlops.perToken(arch);
        double ceiling = gflops * 1e9 / perToken;
        report.put("decode_tokens_per_second", decode);
        report.put("prefill_tokens_per_second", prefill);
        report.put("ort_matmul_gflops", gflops);
        report.put("model_mflops_per_token", perToken / 1e6);
        report.put("ceiling_tokens_per_second", ceiling);
        report.put("fraction_of_ceiling_at_32", decode.getOrDefault("32", 0.0) / ceiling);

        List<String> lines = new ArrayList<>();
        lines.add("| concurrency | decode tokens/s |");
        lines.add("|---:|---:|");
        decode.forEach((c, tps) -> lines.add(String.format(Locale.ROOT, "| %s | %.0f |", c, tps)));
        lines.add(String.format(Locale.ROOT, "%nprefill: %.0f tokens/s; ORT on the model's matmul graphs (%d rows): "
                        + "%.1f GFLOP/s; model: %.2f MFLOP/token; ceiling %.0f tokens/s; reached at 32: %.0f%%",
                prefill, rows, gflops, perToken / 1e6, ceiling, 100 * decode.getOrDefault("32", 0.0) / ceiling));
        lines.forEach(System.out::println);
        Files.createDirectories(out);
        Path json = out.resolve("engine-bench.json");
        JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), report);
        System.out.println("wrote " + json);
    }
}
