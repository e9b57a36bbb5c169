package org.softmax4j;

import java.util.ArrayList;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.softmax4j.backend.Op;

/**
 * Boundary fuzzing of every public entry point: each operation (softmax, log-softmax,
 * log-sum-exp) through each buffer kind (float[]/double[] with offsets, direct and heap
 * FloatBuffer/DoubleBuffer, FloatPointer/DoublePointer, FloatMatrix/DoubleMatrix), on both
 * backends with the same input. The fuzzer's bytes choose a {@link BoundaryCase} (shape, strides,
 * offsets, capacities, positions, temperature, values, aliasing, unusable operands) and
 * {@link BoundaryCheck} judges each call: a correct result, or a documented exception, and in
 * either case not one element written outside the output region, guard zones included.
 *
 * <p>A plain {@code mvn verify} runs these in Jazzer's regression mode: each target replays its
 * inputs under {@code src/test/resources/org/softmax4j/BoundaryFuzzTestInputs/<method>/} (a few
 * committed seeds, and any finding Jazzer writes there). To fuzz one target for real, see the
 * README's "Reliability" section ({@code JAZZER_FUZZ=1}). {@link BoundarySweepTest} drives the
 * same cases from a seeded random source in CI.
 */
class BoundaryFuzzTest {

    /** The backends every case runs on: Java always, native where it loads. */
    static List<Softmax> backends() {
        List<Softmax> list = new ArrayList<>(List.of(Softmax.java()));
        if (Softmax.nativeUnavailableCause().isEmpty()) list.add(Softmax.nativeBackend());
        return list;
    }

    private static void fuzz(Op op, Kind kind, FuzzedDataProvider data) {
        BoundaryCase c = BoundaryCase.draw(op, kind, Choices.of(data));
        for (Softmax s : backends()) BoundaryCheck.run(s, c);
    }

    @FuzzTest
    void softmaxFloatArray(FuzzedDataProvider data) {
        fuzz(Op.SOFTMAX, Kind.FLOAT_ARRAY, data);
    }

    @FuzzTest
    void logSoftmaxFloatArray(FuzzedDataProvider data) {
        fuzz(Op.LOG_SOFTMAX, Kind.FLOAT_ARRAY, data);
    }

    @FuzzTest
    void logSumExpFloatArray(FuzzedDataProvider data) {
        fuzz(Op.LOG_SUM_EXP, Kind.FLOAT_ARRAY, data);
    }

    @FuzzTest
    void softmaxDoubleArray(FuzzedDataProvider data) {
        fuzz(Op.SOFTMAX, Kind.DOUBLE_ARRAY, data);
    }

    @FuzzTest
    void logSoftmaxDoubleArray(FuzzedDataProvider data) {
        fuzz(Op.LOG_SOFTMAX, Kind.DOUBLE_ARRAY, data);
    }

    @FuzzTest
    void logSumExpDoubleArray(FuzzedDataProvider data) {
        fuzz(Op.LOG_SUM_EXP, Kind.DOUBLE_ARRAY, data);
    }

    @FuzzTest
    void softmaxFloatDirectBuffer(FuzzedDataProvider data) {
        fuzz(Op.SOFTMAX, Kind.FLOAT_DIRECT_BUFFER, data);
    }

    @FuzzTest
    void logSoftmaxFloatDirectBuffer(FuzzedDataProvider data) {
        fuzz(Op.LOG_SOFTMAX, Kind.FLOAT_DIRECT_BUFFER, data);
    }

    @FuzzTest
    void logSumExpFloatDirectBuffer(FuzzedDataProvider data) {
        fuzz(Op.LOG_SUM_EXP, Kind.FLOAT_DIRECT_BUFFER, data);
    }

    @FuzzTest
    void softmaxDoubleDirectBuffer(FuzzedDataProvider data) {
        fuzz(Op.SOFTMAX, Kind.DOUBLE_DIRECT_BUFFER, data);
    }

    @FuzzTest
    void logSoftmaxDoubleDirectBuffer(FuzzedDataProvider data) {
        fuzz(Op.LOG_SOFTMAX, Kind.DOUBLE_DIRECT_BUFFER, data);
    }

    @FuzzTest
    void logSumExpDoubleDirectBuffer(FuzzedDataProvider data) {
        fuzz(Op.LOG_SUM_EXP, Kind.DOUBLE_DIRECT_BUFFER, data);
    }

    @FuzzTest
    void softmaxFloatHeapBuffer(FuzzedDataProvider data) {
        fuzz(Op.SOFTMAX, Kind.FLOAT_HEAP_BUFFER, data);
    }

    @FuzzTest
    void logSoftmaxFloatHeapBuffer(FuzzedDataProvider data) {
        fuzz(Op.LOG_SOFTMAX, Kind.FLOAT_HEAP_BUFFER, data);
    }

    @FuzzTest
    void logSumExpFloatHeapBuffer(FuzzedDataProvider data) {
        fuzz(Op.LOG_SUM_EXP, Kind.FLOAT_HEAP_BUFFER, data);
    }

    @FuzzTest
    void softmaxDoubleHeapBuffer(FuzzedDataProvider data) {
        fuzz(Op.SOFTMAX, Kind.DOUBLE_HEAP_BUFFER, data);
    }

    @FuzzTest
    void logSoftmaxDoubleHeapBuffer(FuzzedDataProvider data) {
        fuzz(Op.LOG_SOFTMAX, Kind.DOUBLE_HEAP_BUFFER, data);
    }

    @FuzzTest
    void logSumExpDoubleHeapBuffer(FuzzedDataProvider data) {
        fuzz(Op.LOG_SUM_EXP, Kind.DOUBLE_HEAP_BUFFER, data);
    }

    @FuzzTest
    void softmaxFloatPointer(FuzzedDataProvider data) {
        fuzz(Op.SOFTMAX, Kind.FLOAT_POINTER, data);
    }

    @FuzzTest
    void logSoftmaxFloatPointer(FuzzedDataProvider data) {
        fuzz(Op.LOG_SOFTMAX, Kind.FLOAT_POINTER, data);
    }

    @FuzzTest
    void logSumExpFloatPointer(FuzzedDataProvider data) {
        fuzz(Op.LOG_SUM_EXP, Kind.FLOAT_POINTER, data);
    }

    @FuzzTest
    void softmaxDoublePointer(FuzzedDataProvider data) {
        fuzz(Op.SOFTMAX, Kind.DOUBLE_POINTER, data);
    }

    @FuzzTest
    void logSoftmaxDoublePointer(FuzzedDataProvider data) {
        fuzz(Op.LOG_SOFTMAX, Kind.DOUBLE_POINTER, data);
    }

    @FuzzTest
    void logSumExpDoublePointer(FuzzedDataProvider data) {
        fuzz(Op.LOG_SUM_EXP, Kind.DOUBLE_POINTER, data);
    }

    @FuzzTest
    void softmaxFloatMatrix(FuzzedDataProvider data) {
        fuzz(Op.SOFTMAX, Kind.FLOAT_MATRIX, data);
    }

    @FuzzTest
    void logSoftmaxFloatMatrix(FuzzedDataProvider data) {
        fuzz(Op.LOG_SOFTMAX, Kind.FLOAT_MATRIX, data);
    }

    @FuzzTest
    void logSumExpFloatMatrix(FuzzedDataProvider data) {
        fuzz(Op.LOG_SUM_EXP, Kind.FLOAT_MATRIX, data);
    }

    @FuzzTest
    void softmaxDoubleMatrix(FuzzedDataProvider data) {
        fuzz(Op.SOFTMAX, Kind.DOUBLE_MATRIX, data);
    }

    @FuzzTest
    void logSoftmaxDoubleMatrix(FuzzedDataProvider data) {
        fuzz(Op.LOG_SOFTMAX, Kind.DOUBLE_MATRIX, data);
    }

    @FuzzTest
    void logSumExpDoubleMatrix(FuzzedDataProvider data) {
        fuzz(Op.LOG_SUM_EXP, Kind.DOUBLE_MATRIX, data);
    }
}
