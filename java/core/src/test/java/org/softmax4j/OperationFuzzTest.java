package org.softmax4j;

import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Boundary fuzzing of every public entry point that takes batches: the row operations, the
 * derivatives, the seed and masked operations, and the classifier head (its construction from
 * weight batches, predictProba, logProba, scores, predict, loss, gradient), one target each. The
 * fuzzer's bytes choose the storage {@link Kind} (every kind this JVM can make; the
 * operands of a case may mix kinds), the element type and an {@link OperationCase}, and
 * {@link OperationCheck} judges it on both backends: the reference's result or a documented
 * exception, and not one element written outside the output region, guards included.
 *
 * <p>A plain {@code mvn verify} replays the inputs under
 * {@code src/test/resources/org/softmax4j/OperationFuzzTestInputs/<method>/}; the README's
 * "Reliability" section says how to fuzz one target for real. {@link OperationSweepTest} draws
 * the same cases from a seeded random source.
 */
class OperationFuzzTest {

    private static void fuzz(OperationCase.Entry entry, FuzzedDataProvider data) {
        Choices c = Choices.of(data);
        List<Kind> kinds = OperationCase.kindsHere();
        Kind kind = kinds.get(c.between(0, kinds.size() - 1));
        OperationCase k = OperationCase.draw(entry, kind.storage, kind.type, c);
        for (Softmax s : BoundaryFuzzTest.backends()) OperationCheck.run(s, k);
    }

    @FuzzTest
    void softmax(FuzzedDataProvider data) {
        fuzz(OperationCase.Entry.SOFTMAX, data);
    }

    @FuzzTest
    void logSoftmax(FuzzedDataProvider data) {
        fuzz(OperationCase.Entry.LOG_SOFTMAX, data);
    }

    @FuzzTest
    void logSumExp(FuzzedDataProvider data) {
        fuzz(OperationCase.Entry.LOG_SUM_EXP, data);
    }

    @FuzzTest
    void jacobian(FuzzedDataProvider data) {
        fuzz(OperationCase.Entry.JACOBIAN, data);
    }

    @FuzzTest
    void softmaxJvp(FuzzedDataProvider data) {
        fuzz(OperationCase.Entry.SOFTMAX_JVP, data);
    }

    @FuzzTest
    void softmaxVjp(FuzzedDataProvider data) {
        fuzz(OperationCase.Entry.SOFTMAX_VJP, data);
    }

    @FuzzTest
    void logSoftmaxVjp(FuzzedDataProvider data) {
        fuzz(OperationCase.Entry.LOG_SOFTMAX_VJP, data);
    }

    @FuzzTest
    void logSumExpVjp(FuzzedDataProvider data) {
        fuzz(OperationCase.Entry.LOG_SUM_EXP_VJP, data);
    }

    @FuzzTest
    void logSumExpVjpSaved(FuzzedDataProvider data) {
        fuzz(OperationCase.Entry.LOG_SUM_EXP_VJP_SAVED, data);
    }

    @FuzzTest
    void jacobianTimes(FuzzedDataProvider data) {
        fuzz(OperationCase.Entry.JACOBIAN_TIMES, data);
    }

    @FuzzTest
    void inverse(FuzzedDataProvider data) {
        fuzz(OperationCase.Entry.INVERSE, data);
    }

    @FuzzTest
    void combine(FuzzedDataProvider data) {
        fuzz(OperationCase.Entry.COMBINE, data);
    }

    @FuzzTest
    void sigmoid(FuzzedDataProvider data) {
        fuzz(OperationCase.Entry.SIGMOID, data);
    }

    @FuzzTest
    void maskedSoftmax(FuzzedDataProvider data) {
        fuzz(OperationCase.Entry.MASKED_SOFTMAX, data);
    }

    @FuzzTest
    void maskedLogSoftmax(FuzzedDataProvider data) {
        fuzz(OperationCase.Entry.MASKED_LOG_SOFTMAX, data);
    }

    @FuzzTest
    void maskedLogSumExp(FuzzedDataProvider data) {
        fuzz(OperationCase.Entry.MASKED_LOG_SUM_EXP, data);
    }

    @FuzzTest
    void predictProba(FuzzedDataProvider data) {
        fuzz(OperationCase.Entry.PREDICT_PROBA, data);
    }

    @FuzzTest
    void logProba(FuzzedDataProvider data) {
        fuzz(OperationCase.Entry.LOG_PROBA, data);
    }

    @FuzzTest
    void scores(FuzzedDataProvider data) {
        fuzz(OperationCase.Entry.SCORES, data);
    }

    @FuzzTest
    void predict(FuzzedDataProvider data) {
        fuzz(OperationCase.Entry.PREDICT, data);
    }

    @FuzzTest
    void loss(FuzzedDataProvider data) {
        fuzz(OperationCase.Entry.LOSS, data);
    }

    @FuzzTest
    void gradient(FuzzedDataProvider data) {
        fuzz(OperationCase.Entry.GRADIENT, data);
    }
}
