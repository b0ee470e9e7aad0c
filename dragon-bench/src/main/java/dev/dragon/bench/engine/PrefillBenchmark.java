package dev.dragon.bench.engine;

import java.util.List;
import java.util.Random;
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

/** Prefill throughput: one operation = one prompt of {@code promptTokens} tokens, one token generated. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--enable-native-access=ALL-UNNAMED"})
public class PrefillBenchmark {

    @Param({"512"})
    public int promptTokens;

    @Param({"2"})
    public int threads;

    @Param({"models/dragon-moe-mini"})
    public String bundle;

    private EngineFixture fixture;
    private int[] prompt;
    private long seed;

    @Setup(Level.Trial)
    public void setUp() {
        fixture = new EngineFixture(java.nio.file.Path.of(bundle), 1, threads);
        int regular = fixture.engine.model().tokenizer().regularTokenCount();
        Random rnd = new Random(42);
        prompt = new int[promptTokens];
        prompt[0] = fixture.prompt(0)[0];     // <|bos|>
        for (int i = 1; i < promptTokens; i++) {
            prompt[i] = rnd.nextInt(regular);
        }
    }

    @Benchmark
    public long prefill() {
        return fixture.generate(List.of(prompt), 1, seed++);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fixture.close();
    }
}
