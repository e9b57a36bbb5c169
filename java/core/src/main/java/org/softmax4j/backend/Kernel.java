package org.softmax4j.backend;

import org.softmax4j.Batch;
import org.softmax4j.Softmax;

/**
 * What a backend implements: one method that computes any {@link Op} on operands the
 * {@link Route} has validated, plus its thread setting. Operands are in the slots of the op's
 * roles (in0..in3, out0, out1); those the call does not have are null. Obtain kernels from
 * {@link Kernels}; only the route calls {@link #run}.
 */
public interface Kernel {
    Softmax.Backend backend();

    /** Threads for a large batch (1 for the Java kernel). */
    int threads();

    /** 0 restores the default; the caller has checked threads &ge; 0. */
    void setThreads(int threads);

    /**
     * Computes {@code op} (with {@code flags}, e.g. {@link Op#FROM_OUTPUT}). {@code a} is the
     * inverse temperature as given (each kernel rounds it to the data type), {@code param} the
     * op's extra scalar.
     */
    void run(Op op, int flags, int rows, int n, int k, double a, double param, Batch in0, Batch in1,
            Batch in2, Batch in3, Batch out0, Batch out1);
}
