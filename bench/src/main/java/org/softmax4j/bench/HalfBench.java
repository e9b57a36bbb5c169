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
import org.softmax4j.ElementType;
import org.softmax4j.Softmax;

/**
 * Half-precision storage against float32 in one run: the same logits (N(0, 3²), fixed seed) as
 * float32, bfloat16 or float16 heap arrays, the output in the input's type or (suffix
 * {@code >float32}) in float32, on the native backend. The figure of merit is the ratio of a half
 * type's time to float32's at the same shape and thread count (issue 14: ≤ 0.6 at 4096×1000).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class HalfBench {

    @Param({"float32", "bfloat16", "float16", "bfloat16>float32", "float16>float32"})
    public String dtype;

    @Param({"softmax"})
    public String op;

    @Param({"4096x1000"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private Softmax softmax;
    private Batch x;
    private Batch y;
    private Object out;

    @Setup(Level.Trial)
    public void setUp() {
        softmax = SoftmaxBench.backend("native", threads);
        Shape s = Shape.parse(shape);
        int rows = s.rows(), n = s.n(), size = s.elements();
        Random r = new Random(42);
        float[] xf = new float[size];
        for (int i = 0; i < size; i++) xf[i] = (float) (3 * r.nextGaussian());
        String[] parts = dtype.split(">");
        ElementType in = switch (parts[0]) {
            case "float32" -> ElementType.FLOAT32;
            case "bfloat16" -> ElementType.BFLOAT16;
            case "float16" -> ElementType.FLOAT16;
            default -> throw new IllegalArgumentException("dtype: float32, bfloat16 or float16[>float32], got " + dtype);
        };
        boolean floatOut = in == ElementType.FLOAT32 || parts.length > 1;
        if (in == ElementType.FLOAT32) {
            x = Batch.of(xf, rows, n);
        } else {
            short[] h = new short[size];
            for (int i = 0; i < size; i++) h[i] = in.toBits(xf[i]);
            x = Batch.of(h, in, rows, n);
        }
        boolean reduces = op.equals("logSumExp");
        int w = reduces ? 1 : n;
        if (floatOut) {
            float[] yf = new float[rows * w];
            y = Batch.of(yf, rows, w);
            out = yf;
        } else {
            short[] yh = new short[rows * w];
            y = Batch.of(yh, in, rows, w);
            out = yh;
        }
    }

    @Benchmark
    public void call(Blackhole bh) {
        switch (op) {
            case "softmax" -> softmax.softmax(x, y);
            case "logSoftmax" -> softmax.logSoftmax(x, y);
            case "logSumExp" -> softmax.logSumExp(x, y);
            default -> throw new IllegalArgumentException("op: softmax, logSoftmax or logSumExp, got " + op);
        }
        bh.consume(out);
    }
}
