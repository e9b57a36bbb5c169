package org.softmax4j.backend;

import org.softmax4j.Batch;
import org.softmax4j.ElementType;
import org.softmax4j.Softmax;

/**
 * The pure-Java kernel, the reference every native result is tested against: each row of every
 * input is read into a double array through its storage adapter, the reference mathematics
 * ({@link Reference}, {@link Jacobians}, {@link SeedOps}, {@link Head}) computes the output row in
 * double, and it is written back rounded once. It needs no native library for heap arrays, NIO
 * buffers and memory segments. Single-threaded by design: the reference must stay simple.
 */
final class JavaBackend implements Kernel {

    @Override
    public Softmax.Backend backend() {
        return Softmax.Backend.JAVA;
    }

    @Override
    public int threads() {
        return 1;
    }

    @Override
    public void setThreads(int threads) {
        // Single-threaded by design.
    }

    @Override
    public void run(Op op, int flags, int rows, int n, int k, double a, double param, Batch in0, Batch in1,
            Batch in2, Batch in3, Batch out0, Batch out1) {
        switch (op) {
            case LINEAR_SCORES, LINEAR_SOFTMAX, LINEAR_LOG_SOFTMAX ->
                    Head.linear(op, rows, n, k, scale(a, out0.type()), in0, in1, in2, out0);
            case CROSS_ENTROPY -> Head.crossEntropy((flags & Op.GRADIENT) != 0, rows, k, a, param, in0, in1, out0, out1);
            case LINEAR_GRADIENT -> Head.gradient(rows, n, k, in0, in1, out0, out1);
            case ATTENTION_SOFTMAX, ATTENTION_LOG_SOFTMAX, ATTENTION_LOG_SUM_EXP ->
                    Attention.run(op, flags, rows, n, k, scale(a, out0.type()), param, in0, in1, out0);
            case SAMPLE -> Sampling.sample(rows, n, k, in0, in1, in2, param, out0);
            case TOP_LOGPROBS -> Sampling.topLogprobs(rows, n, k, in0, in1, out0, out1);
            default -> Operations.run(op, (flags & Op.FROM_OUTPUT) != 0, rows, n, k, scale(a, out0.type()), param,
                    in0, in1, in2, out0);
        }
    }

    /**
     * The inverse temperature as the kernels of a type see it: rounded to float for float and half data,
     * and saturated at the type's largest finite value, as the native core does, so that α = ±∞
     * (or 1/τ for a subnormal τ) is the one-hot limit rather than ∞·0 = NaN at ties.
     */
    static double scale(double a, ElementType type) {
        // Half data computes in float32 (the native core widens it), so its scale is a float too.
        if (type != ElementType.FLOAT64) return Math.max(-Float.MAX_VALUE, Math.min(Float.MAX_VALUE, (float) a));
        return Math.max(-Double.MAX_VALUE, Math.min(Double.MAX_VALUE, a));
    }
}
