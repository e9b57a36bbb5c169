package org.softmax4j;

import org.softmax4j.backend.Op;

/**
 * A storage kind and a data type: what the tests iterate over. Every kind is driven through the
 * one {@link TestStorage} adapter of its storage, so a test written over kinds exercises every
 * storage in both precisions with no per-kind code. The half-precision kinds (bfloat16, float16)
 * are drawn by the operation sweeps and fuzzers ({@link OperationCase#kindsHere()}).
 */
public enum Kind {
    FLOAT_ARRAY(TestStorage.ARRAY, ElementType.FLOAT32),
    DOUBLE_ARRAY(TestStorage.ARRAY, ElementType.FLOAT64),
    FLOAT_DIRECT_BUFFER(TestStorage.DIRECT_BUFFER, ElementType.FLOAT32),
    DOUBLE_DIRECT_BUFFER(TestStorage.DIRECT_BUFFER, ElementType.FLOAT64),
    FLOAT_HEAP_BUFFER(TestStorage.HEAP_BUFFER, ElementType.FLOAT32),
    DOUBLE_HEAP_BUFFER(TestStorage.HEAP_BUFFER, ElementType.FLOAT64),
    FLOAT_POINTER(TestStorage.POINTER, ElementType.FLOAT32),
    DOUBLE_POINTER(TestStorage.POINTER, ElementType.FLOAT64),
    FLOAT_MATRIX(TestStorage.MATRIX, ElementType.FLOAT32),
    DOUBLE_MATRIX(TestStorage.MATRIX, ElementType.FLOAT64),
    FLOAT_SEGMENT(TestStorage.SEGMENT, ElementType.FLOAT32),
    DOUBLE_SEGMENT(TestStorage.SEGMENT, ElementType.FLOAT64),
    FLOAT_HEAP_SEGMENT(TestStorage.HEAP_SEGMENT, ElementType.FLOAT32),
    DOUBLE_HEAP_SEGMENT(TestStorage.HEAP_SEGMENT, ElementType.FLOAT64),
    // Half precision: 16-bit patterns, for the operations that take them (the operation sweeps
    // and fuzzers, HalfPrecisionTest); not in available(), whose tests are about float32/float64.
    BF16_ARRAY(TestStorage.ARRAY, ElementType.BFLOAT16),
    F16_ARRAY(TestStorage.ARRAY, ElementType.FLOAT16),
    BF16_DIRECT_BUFFER(TestStorage.DIRECT_BUFFER, ElementType.BFLOAT16),
    F16_DIRECT_BUFFER(TestStorage.DIRECT_BUFFER, ElementType.FLOAT16),
    BF16_HEAP_BUFFER(TestStorage.HEAP_BUFFER, ElementType.BFLOAT16),
    F16_HEAP_BUFFER(TestStorage.HEAP_BUFFER, ElementType.FLOAT16),
    BF16_POINTER(TestStorage.POINTER, ElementType.BFLOAT16),
    F16_POINTER(TestStorage.POINTER, ElementType.FLOAT16),
    BF16_SEGMENT(TestStorage.SEGMENT, ElementType.BFLOAT16),
    F16_SEGMENT(TestStorage.SEGMENT, ElementType.FLOAT16),
    BF16_HEAP_SEGMENT(TestStorage.HEAP_SEGMENT, ElementType.BFLOAT16),
    F16_HEAP_SEGMENT(TestStorage.HEAP_SEGMENT, ElementType.FLOAT16);

    /** Fills every element of y that the operation must not write. */
    static final double SENTINEL = TestSupport.SENTINEL;

    public final TestStorage storage;
    public final ElementType type;

    Kind(TestStorage storage, ElementType type) {
        this.storage = storage;
        this.type = type;
    }

    /**
     * The float32 and float64 kinds this JVM and class path can make: all but the segment kinds under Surefire
     * (which runs against target/classes, without the jar's JDK 22 part); those run in
     * SegmentIT, against the packaged jar on JDK 22+.
     */
    public static java.util.List<Kind> available() {
        java.util.List<Kind> kinds = new java.util.ArrayList<>();
        for (Kind k : values()) if (k.storage.available() && !k.type.isHalf()) kinds.add(k);
        return kinds;
    }

    /** The segment kinds. */
    public boolean isSegment() {
        return storage == TestStorage.SEGMENT || storage == TestStorage.HEAP_SEGMENT;
    }

    public boolean isFloat() {
        return type == ElementType.FLOAT32;
    }

    public boolean isMatrix() {
        return storage == TestStorage.MATRIX;
    }

    /** True for the kinds that live on the heap (arrays, heap buffers). */
    boolean onHeap() {
        return storage.onHeap();
    }

    /** Values as this kind stores them (rounded to float for float kinds). */
    double[] rounded(double[] values) {
        double[] r = values.clone();
        if (isFloat()) for (int i = 0; i < r.length; i++) r[i] = (float) r[i];
        return r;
    }

    /**
     * Runs a row operation with x holding {@code xs} (viewed as rows × n, stride ldx, from xo)
     * and y of {@code yLength} elements filled with {@link #SENTINEL} (rows × n, or × 1 for
     * log-sum-exp, stride ldy, from yo), or y = x's own batch if {@code inPlace}; returns y's
     * storage afterwards. For matrices, offsets must be 0 and the strides are the matrices'.
     */
    double[] run(Softmax s, Op op, int rows, int n, double[] xs, int xo, int ldx, int yLength, int yo, int ldy,
            double tau, boolean inPlace) {
        int yCols = TestSupport.reduces(op) ? 1 : n;
        // A log-sum-exp column is dense except in a matrix, which has its own stride.
        int yStride = TestSupport.reduces(op) && !isMatrix() ? 1 : ldy;
        try (TestStorage.Stored x = store(xs, rows, n, xo, ldx, false);
             TestStorage.Stored y = inPlace ? null : store(TestSupport.filledDouble(yLength), rows, yCols, yo, yStride, false)) {
            TestStorage.Stored out = inPlace ? x : y;
            call(s, op, x.batch(), out.batch(), tau);
            return out.contents();
        }
    }

    /**
     * Storage of this kind holding {@code contents} (rounded for float kinds), viewed as a batch
     * of {@code rows} rows of {@code width} from {@code offset}, {@code stride} apart, or dense
     * (offset 0, stride = width). For matrices, offset must be 0 and contents is the rows × stride
     * memory.
     */
    public TestStorage.Stored store(double[] contents, int rows, int width, int offset, int stride, boolean dense) {
        return storage.store(type, contents, dense ? 0 : offset, rows, width, dense ? width : stride);
    }

    /** A mask of this kind's family: boolean[] on the heap, direct bytes, or a BytePointer. */
    TestStorage.Stored mask(boolean[] flags, int rows, int n, int offset, int stride, boolean dense) {
        double[] d = new double[flags.length];
        for (int i = 0; i < d.length; i++) d[i] = flags[i] ? 1 : 0;
        TestStorage family = isSegment() ? storage : onHeap() ? TestStorage.ARRAY
                : storage == TestStorage.DIRECT_BUFFER ? TestStorage.DIRECT_BUFFER : TestStorage.POINTER;
        return family.store(ElementType.BOOL, d, dense ? 0 : offset, rows, n, dense ? n : stride);
    }

    /** One row operation on batches at temperature tau. */
    static void call(Softmax s, Op op, Batch x, Batch y, double tau) {
        Scale scale = Scale.temperature(tau);
        switch (op) {
            case SOFTMAX -> s.softmax(x, y, scale);
            case LOG_SOFTMAX -> s.logSoftmax(x, y, scale);
            case LOG_SUM_EXP -> s.logSumExp(x, y, scale);
            default -> throw new IllegalArgumentException(op.toString());
        }
    }

    /** One row operation on float arrays: x from xo (stride ldx), y from yo (stride ldy). */
    static void call(Softmax s, Op op, int rows, int n, float[] x, int xo, int ldx, float[] y, int yo, int ldy,
            double tau) {
        call(s, op, Batch.of(x, xo, rows, n, ldx), Batch.of(y, yo, rows, TestSupport.reduces(op) ? 1 : n, ldy), tau);
    }

    /** One row operation on double arrays. */
    static void call(Softmax s, Op op, int rows, int n, double[] x, int xo, int ldx, double[] y, int yo, int ldy,
            double tau) {
        call(s, op, Batch.of(x, xo, rows, n, ldx), Batch.of(y, yo, rows, TestSupport.reduces(op) ? 1 : n, ldy), tau);
    }
}
