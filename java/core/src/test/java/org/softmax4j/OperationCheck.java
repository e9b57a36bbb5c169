package org.softmax4j;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.softmax4j.backend.Op;
import org.softmax4j.regression.Gradient;
import org.softmax4j.regression.Objective;
import org.softmax4j.regression.SoftmaxClassifier;
import org.softmax4j.storage.Storage;

/**
 * Runs an {@link OperationCase} on one backend and judges it. The call (making its batches, the
 * model for the head, and the operation) must either
 * <ul>
 *   <li>succeed, when {@link OperationCase#violations()} is empty, with every output element
 *       equal to the reference (the Java backend on dense arrays of the same type, from the same
 *       inputs): bitwise on the Java backend, whatever storage the operands live in; on the
 *       native backend within {@link TestSupport#check}'s tolerance for the row operations (the
 *       edge rules exactly), and within {@link NativeTolerance}'s first-order bounds for the
 *       others where their premises hold (ordinary values; a saved output a forward pass can
 *       give); and every other element of every allocation, guards included, bitwise
 *       unchanged; or</li>
 *   <li>throw one of the exceptions the broken rules call for, with every allocation bitwise
 *       unchanged.</li>
 * </ul>
 */
final class OperationCheck {
    private OperationCheck() {}

    static final double IN_SENTINEL = 7777.25;

    /**
     * Per entry point: valid native calls whose every output was held to a numeric bound
     * ({@link NativeTolerance} or {@link TestSupport#check}), as opposed to the structural checks
     * alone; the sweep reports it, so that a bound whose premises never hold would show.
     */
    static final java.util.concurrent.ConcurrentHashMap<OperationCase.Entry, java.util.concurrent.atomic.LongAdder>
            NUMERIC = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Runs and checks {@code c} on {@code s}; an AssertionError describes any failure. Returns
     * the exception the call threw as it should (its class), or null for a valid call that
     * returned the reference's result.
     */
    static Class<? extends RuntimeException> run(Softmax s, OperationCase c) {
        List<Allocation> owned = new ArrayList<>();
        Allocation[] at = new Allocation[c.operands.size()];
        Allocation w = null;
        Allocation b = null;
        try {
            for (int i = 0; i < at.length; i++) {
                OperationCase.Operand o = c.operands.get(i);
                if (o.nul) continue;
                if (o.aliasOf >= 0) {
                    at[i] = at[o.aliasOf];
                    continue;
                }
                at[i] = allocate(o);
                owned.add(at[i]);
            }
            if (c.modelW != null) {
                w = c.modelW.nul ? null : allocate(c.modelW);
                b = c.modelB.nul ? null : allocate(c.modelB);
                if (w != null) owned.add(w);
                if (b != null) owned.add(b);
            }
            for (Allocation a : owned) if (a.variant == Allocation.Variant.CLOSED_BEFORE) a.free();
            Set<Class<? extends RuntimeException>> allowed = c.violations();
            String where = s.backend() + " " + c;
            Result result = new Result();
            RuntimeException thrown = null;
            try {
                call(s, c, at, w, b, result);
            } catch (RuntimeException e) {
                thrown = e;
            }
            if (thrown != null) {
                RuntimeException e = thrown;
                if (allowed.stream().noneMatch(t -> t.isInstance(e))) {
                    throw new AssertionError(where + ": threw " + thrown + ", allowed " + allowed, thrown);
                }
                for (Allocation a : owned) unchanged(a, null, where + " (after " + thrown.getClass().getSimpleName() + ")");
                return thrown.getClass();
            }
            if (!allowed.isEmpty()) fail(where + ": returned normally, expected one of " + allowed);
            verify(s, c, at, owned, result, where);
            return null;
        } finally {
            for (Allocation a : owned) a.close();
        }
    }

    private static Allocation allocate(OperationCase.Operand o) {
        double sentinel = o.spec.output() ? (o.type == ElementType.BOOL ? 3 : Kind.SENTINEL) : o.spec.mask() ? 3 : IN_SENTINEL;
        if (o.matrix()) {
            double[] values = new double[o.mRows * o.mStride];
            System.arraycopy(o.values, 0, values, 0, Math.min(values.length, o.values.length));
            if (o.spec.output()) java.util.Arrays.fill(values, Kind.SENTINEL);
            return Allocation.matrix(o.type, o.mRows, o.mCols, o.mStride, values, sentinel, o.variant);
        }
        double[] body = o.values;
        if (o.spec.output()) {
            body = new double[o.capacity];
            java.util.Arrays.fill(body, Kind.SENTINEL);
        }
        return Allocation.of(o.kind, o.type, body, o.position, o.extra, sentinel, o.variant);
    }

    /** What a call returned: predict's labels, the objective. */
    static final class Result {
        int[] labels;
        double loss;
        Gradient gradient;
    }

    // ---------------------------------------------------------------- the call

    private static void call(Softmax s, OperationCase c, Allocation[] at, Allocation w, Allocation b, Result r) {
        Batch[] bs = new Batch[at.length];
        for (int i = 0; i < at.length; i++) {
            OperationCase.Operand o = c.operands.get(i);
            if (at[i] != null) bs[i] = at[i].batch(o.offset, o.rows, o.cols, o.stride);
        }
        for (int i = 0; i < at.length; i++) {
            if (at[i] != null && at[i].variant == Allocation.Variant.CLOSED_AFTER) at[i].free();
        }
        Softmax.From from = c.fromOutput ? Softmax.From.OUTPUT : Softmax.From.LOGITS;
        switch (c.entry) {
            case SOFTMAX -> {
                if (c.noScale) s.softmax(bs[0], bs[1]);
                else s.softmax(bs[0], bs[1], scale(c));
            }
            case LOG_SOFTMAX -> {
                if (c.noScale) s.logSoftmax(bs[0], bs[1]);
                else s.logSoftmax(bs[0], bs[1], scale(c));
            }
            case LOG_SUM_EXP -> {
                if (c.noScale) s.logSumExp(bs[0], bs[1]);
                else s.logSumExp(bs[0], bs[1], scale(c));
            }
            case JACOBIAN -> s.jacobian(from, bs[0], bs[1], scale(c));
            case SOFTMAX_JVP -> s.softmaxJvp(from, bs[0], bs[1], bs[2], scale(c));
            case SOFTMAX_VJP -> s.softmaxVjp(from, bs[0], bs[1], bs[2], scale(c));
            case LOG_SOFTMAX_VJP -> s.logSoftmaxVjp(from, bs[0], bs[1], bs[2], scale(c));
            case LOG_SUM_EXP_VJP -> s.logSumExpVjp(bs[0], bs[1], bs[2], scale(c));
            case LOG_SUM_EXP_VJP_SAVED -> s.logSumExpVjp(bs[0], bs[1], bs[2], bs[3], scale(c));
            case JACOBIAN_TIMES -> s.jacobianTimes(c.k, from, bs[0], bs[1], bs[2], scale(c));
            case INVERSE -> s.inverse(bs[0], bs[1], gauge(c), scale(c));
            case COMBINE -> s.combine(bs[0], c.nullWeights ? null : Batch.of(c.weights.clone(), 1, c.weights.length), bs[1]);
            case SIGMOID -> s.sigmoid(bs[0], bs[1], scale(c));
            case MASKED_SOFTMAX -> s.maskedSoftmax(bs[0], bs[1], bs[2], scale(c));
            case MASKED_LOG_SOFTMAX -> s.maskedLogSoftmax(bs[0], bs[1], bs[2], scale(c));
            case MASKED_LOG_SUM_EXP -> s.maskedLogSumExp(bs[0], bs[1], bs[2], scale(c));
            default -> head(s, c, bs, w, b, r);
        }
    }

    private static void head(Softmax s, OperationCase c, Batch[] bs, Allocation w, Allocation b, Result r) {
        Batch wb = w == null ? null : w.batch(0, c.modelW.rows, c.modelW.cols, c.modelW.stride);
        Batch bb = b == null ? null : b.batch(0, c.modelB.rows, c.modelB.cols, c.modelB.stride);
        try (SoftmaxClassifier m = SoftmaxClassifier.of(wb, bb, s)) {
            switch (c.entry) {
                case PREDICT_PROBA -> {
                    if (c.noScale) m.predictProba(bs[0], bs[1]);
                    else m.predictProba(bs[0], bs[1], scale(c));
                }
                case LOG_PROBA -> {
                    if (c.noScale) m.logProba(bs[0], bs[1]);
                    else m.logProba(bs[0], bs[1], scale(c));
                }
                case SCORES -> m.scores(bs[0], bs[1]);
                case PREDICT -> {
                    int[] labels = c.nullLabels ? null : c.labels.clone();
                    m.predict(bs[0], labels, c.labelsOffset);
                    r.labels = labels;
                }
                case LOSS -> r.loss = m.loss(bs[0], c.nullLabels ? null : c.labels.clone(), Objective.crossEntropy());
                default -> r.gradient = m.gradient(bs[0], c.nullLabels ? null : c.labels.clone(),
                        Objective.crossEntropy());
            }
        }
    }

    private static Scale scale(OperationCase c) {
        return c.alpha ? Scale.alpha(c.scaleValue) : Scale.temperature(c.scaleValue);
    }

    private static Gauge gauge(OperationCase c) {
        if (c.nullGauge) return null;
        return switch (c.gauge) {
            case 0 -> Gauge.zeroMean();
            case 1 -> Gauge.pinned(c.pin);
            default -> Gauge.logSumExp(c.gaugeLse);
        };
    }

    // ---------------------------------------------------------------- judging

    private static void unchanged(Allocation a, boolean[] except, String where) {
        double[] now = a.image();
        if (now == null) return;  // freed on purpose
        for (int i = 0; i < now.length; i++) {
            if (except != null && except[i]) continue;
            if (Double.compare(a.initial[i], now[i]) != 0) {
                fail(where + ": element " + i + " of a " + a.kind + " allocation changed from " + a.initial[i] + " to "
                        + now[i]);
            }
        }
    }

    /** A valid call: outputs against the reference, everything else unchanged. */
    private static void verify(Softmax s, OperationCase c, Allocation[] at, List<Allocation> owned, Result result,
            String where) {
        // The reference: the same entry on the Java backend, on dense arrays of the data type
        // holding the inputs as stored (rounded to the type).
        OperationCase dense = denseCopy(c, at);
        Allocation[] refAt = new Allocation[dense.operands.size()];
        List<Allocation> refOwned = new ArrayList<>();
        Result expected = new Result();
        try {
            for (int i = 0; i < refAt.length; i++) {
                refAt[i] = allocate(dense.operands.get(i));
                refOwned.add(refAt[i]);
            }
            Allocation rw = c.modelW == null ? null : allocate(dense.modelW);
            Allocation rb = c.modelB == null ? null : allocate(dense.modelB);
            call(Softmax.java(), dense, refAt, rw, rb, expected);
            boolean exact = s.backend() == Softmax.Backend.JAVA;
            boolean numeric = true;
            for (int i = 0; i < at.length; i++) {
                OperationCase.Operand o = c.operands.get(i);
                if (!o.spec.output()) continue;
                Allocation a = at[i];
                double[] got = a.image();
                double[] want = refAt[i].image();
                boolean[] isOut = new boolean[got.length];
                double[] bound = exact ? null : NativeTolerance.outputs(c, inputs(dense), want,
                        dense.modelW == null ? null : dense.modelW.values, dense.modelB == null ? null : dense.modelB.values);
                if (bound == null && !rowOperation(c.entry)) numeric = false;
                for (int r = 0; r < o.rows; r++) {
                    double rowScale = rowScale(c, at, r);
                    for (int j = 0; j < o.cols; j++) {
                        int idx = index(a, o, r, j);
                        isOut[idx] = true;
                        double e = want[j + r * o.cols];
                        String pos = where + ": output " + o.spec.name() + " row " + r + " element " + j;
                        if (exact) {
                            if (Double.compare(e, got[idx]) != 0) fail(pos + ": expected " + e + ", got " + got[idx]);
                        } else {
                            compareNative(c, o, e, got[idx], rowScale, bound == null ? Double.NaN : bound[j + r * o.cols], pos);
                        }
                    }
                }
                // Outside the output: the initial image (an input's values where it is in place).
                for (int j = 0; j < got.length; j++) {
                    if (isOut[j]) continue;
                    if (Double.compare(a.initial[j], got[j]) != 0) {
                        fail(where + ": element " + j + " of " + o.spec.name() + "'s allocation, outside the output, "
                                + "changed from " + a.initial[j] + " to " + got[j]);
                    }
                }
            }
            for (Allocation a : owned) {
                boolean output = false;
                for (int i = 0; i < at.length; i++) if (at[i] == a && c.operands.get(i).spec.output()) output = true;
                if (!output) unchanged(a, null, where + " (an input)");
            }
            double[][] objective = null;
            if (!exact && (c.entry == OperationCase.Entry.LOSS || c.entry == OperationCase.Entry.GRADIENT)) {
                objective = NativeTolerance.objective(c, dense.operands.get(0).values, dense.modelW.values,
                        dense.modelB.values, head(dense, false), c.labels);
            } else if (!exact && c.entry == OperationCase.Entry.PREDICT && c.ordinary()) {
                // The reference's scores and their bounds: a native label must be a class whose
                // score may be the largest.
                OperationCase.Operand x = dense.operands.get(0);
                objective = new double[][] {head(dense, true), NativeTolerance.scoreBounds(x.values, dense.modelW.values,
                        dense.modelB.values, x.rows, x.cols, c.k, x.type == ElementType.FLOAT32)};
            }
            compareResults(c, result, expected, exact, objective, where);
            if (objective == null && (c.entry == OperationCase.Entry.LOSS || c.entry == OperationCase.Entry.GRADIENT)) numeric = false;
            if (objective == null && c.entry == OperationCase.Entry.PREDICT) numeric = false;
            if (!exact && numeric) NUMERIC.computeIfAbsent(c.entry, e -> new java.util.concurrent.atomic.LongAdder()).increment();
            if (rw != null) rw.close();
            if (rb != null) rb.close();
        } finally {
            for (Allocation a : refOwned) a.close();
        }
    }

    /** The image index of element (r, j) of an operand's batch. */
    private static int index(Allocation a, OperationCase.Operand o, int r, int j) {
        return (int) (a.base + o.offset + (long) r * o.stride + j);
    }

    /** |α|·max|x| of row r of the first input: the conditioning of a row operation's result. */
    private static double rowScale(OperationCase c, Allocation[] at, int r) {
        OperationCase.Operand x = c.operands.get(0);
        double[] img = at[0].initial;
        double m = 0;
        if (r < x.rows) {
            for (int j = 0; j < x.cols; j++) {
                double v = img[index(at[0], x, r, j)];
                if (Double.isFinite(v)) m = Math.max(m, Math.abs(v));
            }
        }
        double a = Math.abs(c.alphaValue());
        return Double.isFinite(a * m) ? a * m : Double.MAX_VALUE;
    }

    /**
     * A native output element against the reference: {@link TestSupport#check}'s rules for the
     * row operations ({@link TestSupport#checkHalf} for a half-precision output); for the others within {@code bound} ({@link NativeTolerance}), or, where
     * no numeric bound applies (NaN), not compared.
     */
    private static void compareNative(OperationCase c, OperationCase.Operand o, double e, double g, double rowScale,
            double bound, String where) {
        boolean f32 = o.type == ElementType.FLOAT32;
        Op rowOp = switch (c.entry) {
            case SOFTMAX, MASKED_SOFTMAX -> Op.SOFTMAX;
            case LOG_SOFTMAX, MASKED_LOG_SOFTMAX -> Op.LOG_SOFTMAX;
            case LOG_SUM_EXP, MASKED_LOG_SUM_EXP -> Op.LOG_SUM_EXP;
            default -> null;
        };
        if (rowOp != null && o.type.isHalf()) {
            TestSupport.checkHalf(rowOp, o.type, Math.max(c.operands.get(0).cols, 1), rowScale, e, g, where);
            return;
        }
        if (rowOp != null) {
            TestSupport.check(rowOp, f32, Math.max(c.operands.get(0).cols, 1), rowScale, e, g, where);
            return;
        }
        if (!Double.isNaN(bound)) TestSupport.checkBound(f32, e, g, bound, where);
    }

    private static boolean rowOperation(OperationCase.Entry e) {
        return switch (e) {
            case SOFTMAX, LOG_SOFTMAX, LOG_SUM_EXP, MASKED_SOFTMAX, MASKED_LOG_SOFTMAX, MASKED_LOG_SUM_EXP -> true;
            default -> false;
        };
    }

    /** The inputs of a dense case, in order (outputs left out). */
    private static double[][] inputs(OperationCase dense) {
        List<double[]> in = new ArrayList<>();
        for (OperationCase.Operand o : dense.operands) if (!o.spec.output()) in.add(o.values);
        return in.toArray(new double[0][]);
    }

    /** The Java backend's scores or log-probabilities of a dense head case (rows × classes). */
    private static double[] head(OperationCase dense, boolean scores) {
        OperationCase.Operand x = dense.operands.get(0);
        double[] y = new double[x.rows * dense.k];
        boolean f32 = x.type == ElementType.FLOAT32;
        try (SoftmaxClassifier m = SoftmaxClassifier.of(dense.k, x.cols, dense.modelW.values.clone(),
                dense.modelB.values.clone(), Softmax.java())) {
            Batch xb = f32 ? Batch.of(TestSupport.toFloat(x.values), x.rows, x.cols) : Batch.of(x.values, x.rows, x.cols);
            Batch yb = f32 ? Batch.of(new float[y.length], x.rows, dense.k) : Batch.of(y, x.rows, dense.k);
            if (scores) m.scores(xb, yb);
            else m.logProba(xb, yb);
            if (!f32) return y;
            for (int i = 0; i < y.length; i++) y[i] = Storage.of(yb).get(i);
            return y;
        }
    }

    /**
     * predict's labels, the loss and the gradient: bitwise on the Java backend; on the native one
     * within {@code objective}'s bounds ({@link NativeTolerance#objective}: {loss, dW, db}), or
     * not compared numerically where it is null.
     */
    private static void compareResults(OperationCase c, Result got, Result want, boolean exact, double[][] objective,
            String where) {
        switch (c.entry) {
            case PREDICT -> {
                for (int i = 0; i < got.labels.length; i++) {
                    boolean inside = i >= c.labelsOffset && i < c.labelsOffset + c.operands.get(0).rows;
                    if (!inside && got.labels[i] != c.labels[i]) fail(where + ": label " + i + " outside the rows written");
                    if (inside && (got.labels[i] < -1 || got.labels[i] >= c.k)) fail(where + ": label " + got.labels[i]);
                    if (inside && exact && got.labels[i] != want.labels[i]) {
                        fail(where + ": label " + i + " is " + got.labels[i] + ", the reference says " + want.labels[i]);
                    }
                    if (inside && objective != null) {
                        int r = i - c.labelsOffset;
                        int l = got.labels[i];
                        int top = want.labels[i];
                        double[] s = objective[0];
                        double[] bound = objective[1];
                        if (l < 0 || s[r * c.k + l] + bound[r * c.k + l] < s[r * c.k + top] - bound[r * c.k + top]) {
                            fail(where + ": label " + i + " is " + l + ", whose score cannot be the largest (the "
                                    + "reference says " + top + ")");
                        }
                    }
                }
            }
            case LOSS -> same(got.loss, want.loss, exact, objective == null ? Double.NaN : objective[0][0], c, where + ": loss");
            case GRADIENT -> {
                same(got.gradient.loss(), want.gradient.loss(), exact, objective == null ? Double.NaN : objective[0][0], c,
                        where + ": loss");
                for (int i = 0; i < got.gradient.weights().length; i++) {
                    same(got.gradient.weights()[i], want.gradient.weights()[i], exact,
                            objective == null ? Double.NaN : objective[1][i], c, where + ": dW[" + i + "]");
                }
                for (int i = 0; i < got.gradient.bias().length; i++) {
                    same(got.gradient.bias()[i], want.gradient.bias()[i], exact,
                            objective == null ? Double.NaN : objective[2][i], c, where + ": db[" + i + "]");
                }
            }
            default -> {}
        }
    }

    private static void same(double g, double e, boolean exact, double bound, OperationCase c, String where) {
        if (Double.compare(e, g) == 0) return;
        if (exact) fail(where + ": expected " + e + ", got " + g);
        if (!Double.isNaN(bound)) TestSupport.checkBound(c.operands.get(0).type == ElementType.FLOAT32, e, g, bound, where);
    }

    /**
     * The case on dense heap arrays: each operand's batch rows copied out of its allocation (as
     * stored), packed, offset 0; outputs fresh; no aliasing, no variants.
     */
    private static OperationCase denseCopy(OperationCase c, Allocation[] at) {
        OperationCase d = OperationCase.copyOf(c);
        for (int i = 0; i < c.operands.size(); i++) {
            OperationCase.Operand o = c.operands.get(i);
            OperationCase.Operand p = d.operands.get(i);
            p.kind = TestStorage.ARRAY;
            p.variant = Allocation.Variant.NORMAL;
            p.aliasOf = -1;
            p.offset = 0;
            p.stride = o.cols;
            p.position = 0;
            p.extra = 0;
            p.capacity = o.rows * o.cols;
            p.values = new double[p.capacity];
            if (!o.spec.output()) {
                for (int r = 0; r < o.rows; r++) {
                    for (int j = 0; j < o.cols; j++) p.values[r * o.cols + j] = at[i].initial[index(at[i], o, r, j)];
                }
            }
        }
        for (OperationCase.Operand p : new OperationCase.Operand[] {d.modelW, d.modelB}) {
            if (p == null) continue;
            p.kind = TestStorage.ARRAY;
            p.variant = Allocation.Variant.NORMAL;
        }
        return d;
    }
}
