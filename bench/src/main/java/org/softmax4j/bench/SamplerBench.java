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
import org.softmax4j.Batch;
import org.softmax4j.Sampler;

/**
 * Token sampling from rows of 128,256 float32 logits (Llama 3's vocabulary), the cases:
 * greedy, T = 0.8 with top-k 50, T = 0.8 with top-p 0.9, T = 0.8 with min-p 0.05, and T = 1 with
 * no filter (a draw from the whole softmax: one weighing pass and one block). Backends: the
 * library's native and pure-Java samplers, and {@link PlainJavaSampler}, a sampler as the Java
 * LLM engines write it. Every call uses a new step (a new draw). The logits are N(0, σ²) with
 * σ = 2: a realistic spread (top-p 0.9 keeps a few thousand tokens).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class SamplerBench {
    public static final int VOCAB = 128_256;

    @Param({"greedy", "topK50", "topP0.9", "minP0.05", "T1"})
    public String sampler;

    @Param({"native", "java", "plain"})
    public String backend;

    @Param({"1"})
    public int rows;

    @Param({"1"})
    public int threads;

    private Sampler s;
    private Batch logits;
    private Batch tokens;
    private float[] x;
    private PlainJavaSampler plain;
    private long step;

    @Setup(Level.Trial)
    public void setUp() {
        Random rnd = new Random(1);
        x = new float[rows * VOCAB];
        for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextGaussian() * 2);
        Sampler.Builder b = Sampler.builder(VOCAB).seed(42);
        switch (sampler) {
            case "greedy" -> b.greedy();
            case "topK50" -> b.temperature(0.8).topK(50);
            case "topP0.9" -> b.temperature(0.8).topP(0.9);
            case "minP0.05" -> b.temperature(0.8).minP(0.05);
            case "T1" -> b.temperature(1);
            default -> throw new IllegalArgumentException(sampler);
        }
        s = b.build();
        logits = Batch.of(x, rows, VOCAB);
        tokens = Batch.of(new int[rows], rows, 1);
        if (backend.equals("plain")) {
            plain = new PlainJavaSampler(VOCAB, s.temperature(), s.topK(), s.topP(), s.minP(), 42);
        } else {
            s = s.on(SoftmaxBench.backend(backend, threads));
        }
    }

    @Benchmark
    public int sample() {
        if (plain != null) {
            int t = 0;
            for (int r = 0; r < rows; r++) t += plain.sample(x, r * VOCAB);
            return t;
        }
        s.sample(logits, step++ & 0xFFFFFFFFL, tokens);
        return 0;
    }
}
