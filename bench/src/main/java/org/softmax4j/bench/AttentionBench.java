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
import org.softmax4j.Attention;
import org.softmax4j.AttentionMask;
import org.softmax4j.Batch;
import org.softmax4j.Softmax;

/**
 * The attention softmax on a square scores block (float32, into a separate output): causal
 * against unmasked, and against the plain softmax of the same shape (the target: causal
 * at most 0.6× the plain softmax on 2048 × 2048).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class AttentionBench {

    @Param({"causal", "unmasked", "softmax"})
    public String op;

    @Param({"2048"})
    public int size;

    @Param({"1"})
    public int threads;

    @Param({"native"})
    public String backend;

    private Softmax s;
    private Attention attention;
    private Batch scores;
    private Batch out;
    private AttentionMask mask;

    @Setup(Level.Trial)
    public void setUp() {
        s = SoftmaxBench.backend(backend, threads);
        attention = Attention.on(s);
        Random rnd = new Random(2);
        float[] x = new float[size * size];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        scores = Batch.of(x, size, size);
        out = Batch.of(new float[size * size], size, size);
        mask = op.equals("causal") ? AttentionMask.causal() : AttentionMask.NONE;
    }

    @Benchmark
    public void run() {
        if (op.equals("softmax")) {
            s.softmax(scores, out);
        } else {
            attention.softmax(scores, null, out, 0.125, mask);
        }
    }
}
