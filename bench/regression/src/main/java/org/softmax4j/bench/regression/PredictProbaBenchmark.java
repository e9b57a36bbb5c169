package org.softmax4j.bench.regression;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

import java.nio.FloatBuffer;
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
import org.bytedeco.openblas.global.openblas_nolapack;

import ai.onnxruntime.OrtException;
import org.softmax4j.Batch;
import org.softmax4j.FloatMatrix;
import org.softmax4j.bench.OnnxModel;
import org.softmax4j.bench.OnnxRuntimeBench;
import org.softmax4j.Softmax;
import org.softmax4j.regression.SoftmaxClassifier;

/**
 * The cost of the softmax head over its GEMM: {@code predictProba} on X of 4096 × 512 float32
 * with k = 1000 classes (one sgemm of 2.1 G multiply-adds, then the row softmax in place on the
 * 4096 × 1000 output, one JNI call), against the {@code cblas_sgemm} alone on the same operands,
 * called through the OpenBLAS preset. {@code softmaxAlone} is the row softmax of the output by
 * itself, for the decomposition; {@code predictProbaJava} the pure-Java backend's head, and
 * {@code onnxRuntimeHead}/{@code onnxRuntimeGemm} the Java peer's. The softmax's added cost is
 * predictProba / gemmAlone − 1.
 *
 * <p>Run: {@code java -jar bench/regression/target/softmax4j-bench-regression.jar -f 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(3)
public class PredictProbaBenchmark {

    @Param("4096")
    int rows;

    @Param("512")
    int features;

    @Param("1000")
    int classes;

    FloatMatrix x;
    FloatMatrix y;
    FloatMatrix w;
    Batch xb;
    Batch yb;
    SoftmaxClassifier model;
    SoftmaxClassifier javaModel;
    Softmax softmax;

    @Setup(Level.Trial)
    public void setUp() {
        Random r = new Random(42);
        softmax = Softmax.nativeBackend();
        double[] weights = new double[classes * features];
        double[] bias = new double[classes];
        for (int i = 0; i < weights.length; i++) weights[i] = r.nextGaussian() * 0.05;
        for (int j = 0; j < classes; j++) bias[j] = r.nextGaussian();
        model = SoftmaxClassifier.of(classes, features, weights, bias, softmax);
        javaModel = model.on(Softmax.java());
        x = FloatMatrix.allocate(rows, features);
        float[] xs = new float[rows * features];
        for (int i = 0; i < xs.length; i++) xs[i] = (float) r.nextGaussian();
        x.copyFrom(xs);
        y = FloatMatrix.allocate(rows, classes);
        xb = Batch.of(x);
        yb = Batch.of(y);
        w = FloatMatrix.allocate(classes, features);
        float[] ws = new float[weights.length];
        for (int i = 0; i < ws.length; i++) ws[i] = (float) weights[i];
        w.copyFrom(ws);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
        javaModel.close();
        x.close();
        y.close();
        w.close();
    }

    /** Z = X Wᵀ + b, then softmax rows in place: one native call. */
    @Benchmark
    public FloatMatrix predictProba() {
        model.predictProba(xb, yb);
        return y;
    }

    /** Y = X Wᵀ alone (beta = 0), OpenBLAS with its own threads. */
    @Benchmark
    public FloatMatrix gemmAlone() {
        openblas_nolapack.cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, classes, features, 1f,
                x.pointer(), features, w.pointer(), features, 0f, y.pointer(), classes);
        return y;
    }

    /**
     * The same head on the pure-Java backend (scores in double by a plain loop, then its softmax):
     * the fallback's cost, for the ratio. Seconds per call, hence fewer iterations.
     */
    @Benchmark
    @Warmup(iterations = 1, time = 1)
    @Measurement(iterations = 3, time = 1)
    public FloatMatrix predictProbaJava() {
        javaModel.predictProba(xb, yb);
        return y;
    }

    /**
     * ONNX Runtime 1.23.2, the Java peer: the same head as a Gemm (transB = 1, the bias as C) and a
     * Softmax node, on 2 intra-op threads, input and pinned output wrapped once (nothing copied
     * or allocated per call). Its own state, so that its thread pool exists only in its forks.
     */
    @Benchmark
    public FloatBuffer onnxRuntimeHead(OrtState ort) throws OrtException {
        return ort.head.run();
    }

    /** ONNX Runtime's Gemm alone (with the bias), for its own head / GEMM ratio. */
    @Benchmark
    public FloatBuffer onnxRuntimeGemm(OrtState ort) throws OrtException {
        return ort.gemm.run();
    }

    /** ONNX Runtime sessions over the benchmark's X, W and b (W and b rounded to float). */
    @State(Scope.Benchmark)
    public static class OrtState {
        OnnxRuntimeBench.Ort head;
        OnnxRuntimeBench.Ort gemm;

        @Setup(Level.Trial)
        public void setUp(PredictProbaBenchmark b) throws OrtException {
            float[] w = new float[b.classes * b.features];
            float[] bias = new float[b.classes];
            double[] wd = b.model.weights();
            double[] bd = b.model.bias();
            for (int i = 0; i < w.length; i++) w[i] = (float) wd[i];
            for (int j = 0; j < bias.length; j++) bias[j] = (float) bd[j];
            float[] x = b.x.toArray();
            long[] in = {b.rows, b.features};
            long[] out = {b.rows, b.classes};
            head = new OnnxRuntimeBench.Ort(OnnxModel.linear(b.rows, b.features, b.classes, w, bias, true), x, in, out, 2);
            gemm = new OnnxRuntimeBench.Ort(OnnxModel.linear(b.rows, b.features, b.classes, w, bias, false), x, in, out, 2);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws OrtException {
            head.close();
            gemm.close();
        }
    }

    /** The row softmax of the 4096 × 1000 output alone, in place. */
    @Benchmark
    public FloatMatrix softmaxAlone() {
        softmax.softmax(yb, yb);
        return y;
    }
}
