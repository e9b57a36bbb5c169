package org.softmax4j.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
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
import org.openjdk.jmh.infra.Blackhole;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * The Java peer: ONNX Runtime's CPU Softmax (axis −1, opset 13) on the suite's shapes, float32,
 * through its Java API, in its best case: input and output are direct buffers wrapped once
 * (no copy), the output is pinned so no tensor is allocated per call, one sequential session
 * with {@code threads} intra-op threads. What remains per call is what a Java caller of ONNX
 * Runtime pays: the JNI call, the session's run, and the kernel.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class OnnxRuntimeBench {

    @Param({"1x10", "64x1000", "4096x1000", "256x32000", "32x128256", "1x1048576"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    @Param({"softmax"})
    public String op;

    @Param({"float32"})
    public String dtype;

    private Ort ort;

    @Setup(Level.Trial)
    public void setUp() throws OrtException {
        ort = new Ort(Shape.parse(shape), threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws OrtException {
        ort.close();
    }

    @Benchmark
    public void call(Blackhole bh) throws OrtException {
        bh.consume(ort.run());
    }

    /**
     * A session over a float32 model with one input {@code x} and one output {@code y}: the input
     * and a pinned output are direct buffers wrapped once, so a run copies and allocates nothing.
     */
    public static final class Ort implements AutoCloseable {
        private final OrtSession session;
        private final OnnxTensor x, y;
        private final Map<String, OnnxTensor> inputs, outputs;
        private final FloatBuffer out;

        /** The one-node softmax model on the suite's operands for {@code shape}. */
        public Ort(Shape shape, int threads) throws OrtException {
            this(OnnxModel.softmax(shape.rows(), shape.n(), OnnxModel.FLOAT), Operands.floats(shape.elements()),
                    new long[] {shape.rows(), shape.n()}, new long[] {shape.rows(), shape.n()}, threads);
        }

        /** {@code model} run on {@code input} (of {@code inDims}), writing an output of {@code outDims}. */
        public Ort(byte[] model, float[] input, long[] inDims, long[] outDims, int threads) throws OrtException {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setIntraOpNumThreads(threads);
                options.setInterOpNumThreads(1);
                options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                session = env.createSession(model, options);
            }
            x = OnnxTensor.createTensor(env, direct(input.length).put(input).flip(), inDims);
            long outSize = 1;
            for (long d : outDims) outSize *= d;
            out = direct(Math.toIntExact(outSize));
            y = OnnxTensor.createTensor(env, out, outDims);
            inputs = Map.of("x", x);
            outputs = Map.of("y", y);
        }

        /** One run; returns the output buffer (the pinned output's memory). */
        public FloatBuffer run() throws OrtException {
            session.run(inputs, outputs).close();
            return out;
        }

        @Override
        public void close() throws OrtException {
            x.close();
            y.close();
            session.close();
        }

        private static FloatBuffer direct(int size) {
            return ByteBuffer.allocateDirect(Float.BYTES * size).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
    }
}
