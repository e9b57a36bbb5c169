package org.softmax4j.bench;

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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.softmax4j.Batch;
import org.softmax4j.Scale;
import org.softmax4j.Softmax;

/**
 * The derivatives, float32 on heap arrays: softmax's VJP from logits (recomputing y) and from
 * the saved output y (a backward pass), and the full Jacobian. Report ns per input element
 * (rows × n) for the VJPs and per Jacobian entry (rows × n × n) for the Jacobian: divide the
 * time per call by {@link #elements()}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class DerivativeBench {

    /** vjpLogits and vjpOutput run on 4096×1000; jacobian on 256 rows of n = 256. */
    @Param({"vjpLogits", "vjpOutput", "jacobian"})
    public String op;

    @Param({"native", "java"})
    public String backend;

    @Param({"1", "2"})
    public int threads;

    private Softmax s;
    private int rows;
    private int n;
    private Batch x;
    private Batch g;
    private Batch out;

    @Setup(Level.Trial)
    public void setUp() {
        boolean jac = op.equals("jacobian");
        rows = jac ? 256 : 4096;
        n = jac ? 256 : 1000;
        s = SoftmaxBench.backend(backend, threads);
        Random r = new Random(3);
        float[] xs = new float[rows * n];
        float[] gs = new float[rows * n];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) (r.nextGaussian() * 3);
            gs[i] = (float) r.nextGaussian();
        }
        if (op.equals("vjpOutput")) s.softmax(rows, n, xs, xs); // the saved y of a forward pass
        x = Batch.of(xs, rows, n);
        g = Batch.of(gs, rows, n);
        out = jac ? Batch.of(new float[rows * n * n], rows, n * n) : Batch.of(new float[rows * n], rows, n);
    }

    /** The elements one call handles: inputs for the VJPs, Jacobian entries for the Jacobian. */
    public long elements() {
        return op.equals("jacobian") ? (long) rows * n * n : (long) rows * n;
    }

    @Benchmark
    public void call(Blackhole bh) {
        switch (op) {
            case "vjpLogits" -> s.softmaxVjp(Softmax.From.LOGITS, x, g, out, Scale.ONE);
            case "vjpOutput" -> s.softmaxVjp(Softmax.From.OUTPUT, x, g, out, Scale.ONE);
            default -> s.jacobian(Softmax.From.LOGITS, x, out, Scale.ONE);
        }
        bh.consume(out);
    }
}
