package org.softmax4j.bench;

import java.util.Arrays;
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
 * at most 0.6× the unmasked softmax on 2048 × 2048). Two memory floors of the same bytes, in
 * plain Java: {@code copy} copies the whole block (what the unmasked softmax reads and writes),
 * {@code causalCopy} copies each row's visible prefix and zero-fills its tail (what the causal
 * softmax reads and writes).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class AttentionBench {

    @Param({"causal", "unmasked", "softmax", "causalCopy", "copy"})
    public String op;

    @Param({"2048"})
    public int size;

    @Param({"1"})
    public int threads;

    @Param({"native"})
    public String backend;

    private Softmax s;
    private Attention attention;
    private float[] x;  // the scores' and the output's arrays, for the copy floors
    private float[] y;
    private Batch scores;
    private Batch out;
    private AttentionMask mask;

    @Setup(Level.Trial)
    public void setUp() {
        s = SoftmaxBench.backend(backend, threads);
        attention = Attention.on(s);
        Random rnd = new Random(2);
        x = new float[size * size];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        y = new float[size * size];
        scores = Batch.of(x, size, size);
        out = Batch.of(y, size, size);
        mask = op.equals("causal") ? AttentionMask.causal() : AttentionMask.NONE;
    }

    @Benchmark
    public void run() {
        switch (op) {
            case "softmax" -> s.softmax(scores, out);
            case "copy" -> System.arraycopy(x, 0, y, 0, x.length);
            case "causalCopy" -> {
                for (int i = 0; i < size; i++) {
                    System.arraycopy(x, i * size, y, i * size, i + 1);
                    Arrays.fill(y, i * size + i + 1, (i + 1) * size, 0f);
                }
            }
            default -> attend(mask);
        }
    }

    /** The attention softmax of this block under {@code m} (PairedBench runs both masks on one block). */
    void attend(AttentionMask m) {
        attention.softmax(scores, null, out, 0.125, m);
    }
}
