package dev.dragon.bench.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decode throughput of LocalEngine: one operation = {@code concurrency} sequences each generating
 * {@value #TOKENS} tokens together (continuous batching). Tokens/s = ops/s × concurrency × TOKENS.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--enable-native-access=ALL-UNNAMED"})
public class DecodeBenchmark {

    static final int TOKENS = 64;

    @Param({"1", "8", "32"})
    public int concurrency;

    @Param({"2"})
    public int threads;

    @Param({"models/dragon-moe-mini"})
    public String bundle;

    private EngineFixture fixture;
    private List<int[]> prompts;
    private long seed;

    @Setup(Level.Trial)
    public void setUp() {
        fixture = new EngineFixture(java.nio.file.Path.of(bundle), Math.max(concurrency, 1), threads);
        prompts = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            prompts.add(fixture.prompt(i));
        }
    }

    @Benchmark
    public long decode() {
        return fixture.generate(prompts, TOKENS, seed++);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fixture.close();
    }
}
