package dev.dragon.bench.engine;

import dev.dragon.core.adapter.PcAdapter;
import dev.dragon.core.bundle.ModelBundle;
import dev.dragon.core.model.DragonModel;
import dev.dragon.core.runtime.Graph;
import dev.dragon.core.runtime.OrtRuntime;
import dev.dragon.core.runtime.RuntimeOptions;
import java.nio.file.Path;
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

/**
 * What ONNX Runtime delivers on this machine for the model's own matmul-bound graphs (the shared
 * expert FFN and the PC layer + LM head) at decode batch sizes; GFLOP/s = {@link ModelFlops} ÷ time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--enable-native-access=ALL-UNNAMED"})
public class OrtCeilingBenchmark {

    @Param({"32"})
    public int rows;

    @Param({"2"})
    public int threads;

    @Param({"models/dragon-moe-mini"})
    public String bundle;

    private DragonModel model;
    private Graph shared;
    private PcAdapter adapter;
    private float[] x;
    private float[] y;
    private float[] logits;

    @Setup(Level.Trial)
    public void setUp() {
        ModelBundle b = ModelBundle.open(Path.of(bundle));
        OrtRuntime runtime = new OrtRuntime(new RuntimeOptions(threads, true));
        model = DragonModel.load(b, runtime, null);
        shared = runtime.load(b.sharedExpertGraph(0));
        adapter = model.baseAdapter();
        int d = b.architecture().dModel();
        x = new float[rows * d];
        Random rnd = new Random(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        y = new float[rows * d];
        logits = new float[rows * b.architecture().vocabSize()];
    }

    @Benchmark
    public float sharedExpert() {
        int d = model.architecture().dModel();
        try (var out = shared.call().floats("x", x, 0, x.length, rows, d).run()) {
            out.copy("y", y, 0);
        }
        return y[0];
    }

    @Benchmark
    public float head() {
        model.head(x, 0, rows, adapter, logits, 0, null);
        return logits[0];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        shared.close();
        model.close();
    }
}
