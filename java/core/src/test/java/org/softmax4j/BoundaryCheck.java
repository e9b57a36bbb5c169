package org.softmax4j;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Set;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.softmax4j.backend.ReferenceRows;
import org.softmax4j.backend.Op;

/**
 * Runs a {@link BoundaryCase} on one backend and judges it. The call must either
 * <ul>
 *   <li>succeed, when {@link BoundaryCase#violations()} is empty, with every output element
 *       within {@link TestSupport#check}'s tolerance of the reference (the Java reference
 *       mathematics in double on the same inputs, at the inverse temperature the kernels are
 *       documented to use), and every other element of both allocations, guards included,
 *       bitwise unchanged; or</li>
 *   <li>throw one of the exceptions the broken rules call for, with both allocations, guards
 *       and output region included, bitwise unchanged: checking happens before anything is
 *       written.</li>
 * </ul>
 */
final class BoundaryCheck {
    private BoundaryCheck() {}

    static final double X_SENTINEL = 7777.25;

    /** Runs and checks {@code c} on {@code s}; an AssertionError describes any failure. */
    static void run(Softmax s, BoundaryCase c) {
        Allocation x = null;
        Allocation y = null;
        try {
            x = build(c, true);
            y = c.alias ? x : build(c, false);
            if (c.closeX) x.free();
            if (c.closeY && !c.alias) y.free();
            Set<Class<? extends RuntimeException>> allowed = c.violations();
            RuntimeException thrown = null;
            try {
                call(s, c, c.nullX ? null : x.arg(), c.nullY ? null : y.arg());
            } catch (RuntimeException e) {
                thrown = e;
            }
            String where = s.backend() + " " + c;
            if (thrown != null) {
                RuntimeException e = thrown;
                if (allowed.stream().noneMatch(t -> t.isInstance(e))) {
                    throw new AssertionError(where + ": threw " + thrown + ", allowed " + allowed, thrown);
                }
                unchanged(x, where + " (x after " + thrown.getClass().getSimpleName() + ")");
                if (!c.alias) unchanged(y, where + " (y after " + thrown.getClass().getSimpleName() + ")");
                return;
            }
            if (!allowed.isEmpty()) fail(where + ": returned normally, expected one of " + allowed);
            verify(s, c, x, y, where);
        } finally {
            if (x != null) x.close();
            if (y != null && y != x) y.close();
        }
    }

    private static Allocation build(BoundaryCase c, boolean isX) {
        if (c.kind.isMatrix()) {
            if (isX) return Allocation.matrix(c.kind.type, c.rows, c.n, c.ldx, c.xs, X_SENTINEL, Allocation.Variant.NORMAL);
            double[] fill = new double[c.yRows * c.ldy];
            Arrays.fill(fill, Kind.SENTINEL);
            return Allocation.matrix(c.kind.type, c.yRows, c.yCols, c.ldy, fill, Kind.SENTINEL, Allocation.Variant.NORMAL);
        }
        if (isX) return Allocation.of(c.kind.storage, c.kind.type, c.xs, c.xPos, c.xExtra, X_SENTINEL, c.xVariant);
        double[] fill = new double[c.yCap];
        Arrays.fill(fill, Kind.SENTINEL);
        return Allocation.of(c.kind.storage, c.kind.type, fill, c.yPos, c.yExtra, Kind.SENTINEL, c.yVariant);
    }

    private static void unchanged(Allocation g, String where) {
        double[] now = g.image();
        if (now == null) return; // a closed matrix
        for (int i = 0; i < now.length; i++) {
            if (Double.compare(g.initial[i], now[i]) != 0) {
                fail(where + ": element " + i + " of the allocation changed from " + g.initial[i]
                        + " to " + now[i]);
            }
        }
    }

    /** A valid call: outputs against the reference, everything else unchanged. */
    private static void verify(Softmax s, BoundaryCase c, Allocation x, Allocation y, String where) {
        boolean f32 = c.f32();
        double a = c.inverseTemperature();
        int outStride = TestSupport.reduces(c.op) ? (c.kind.isMatrix() ? c.ldy : 1) : c.ldy;
        int outPerRow = TestSupport.reduces(c.op) ? 1 : c.n;
        // Expected image of y: its initial image (x's for in place) with the outputs replaced.
        double[] expected = y.initial.clone();
        boolean[] isOutput = new boolean[expected.length];
        double[] scale = new double[Math.max(c.rows, 0)];
        double[] row = new double[Math.max(c.n, 0)];
        for (int r = 0; r < c.rows; r++) {
            long start = (c.kind.isMatrix() ? 0 : c.xo) + (long) r * c.ldx;
            for (int j = 0; j < c.n; j++) row[j] = x.initial[(int) (x.base + start + j)];
            double m = 0;
            for (double v : row) if (Double.isFinite(v)) m = Math.max(m, Math.abs(v));
            scale[r] = m * a;
            double[] out = ReferenceRows.row(c.op, row, c.n, a);
            long yStart = (c.kind.isMatrix() ? 0 : c.yo) + (long) r * outStride;
            for (int j = 0; j < outPerRow; j++) {
                int at = (int) (y.base + yStart + j);
                expected[at] = f32 ? (float) out[j] : out[j];
                isOutput[at] = true;
            }
        }
        double[] got = y.image();
        for (int i = 0; i < got.length; i++) {
            if (isOutput[i]) {
                int r = outputRow(c, y, outStride, i);
                String at = where + ": output element " + i + " (row " + r + ")";
                TestSupport.check(c.op, f32, c.n, scale[r], expected[i], got[i], at);
            } else if (Double.compare(expected[i], got[i]) != 0) {
                fail(where + ": element " + i + " of y's allocation, outside the output, changed from "
                        + expected[i] + " to " + got[i]);
            }
        }
        if (!c.alias) unchanged(x, where + " (x)");
    }

    private static int outputRow(BoundaryCase c, Allocation y, int outStride, int i) {
        long rel = i - y.base - (c.kind.isMatrix() ? 0 : c.yo);
        return (int) (rel / outStride);
    }


    // ---------------------------------------------------------------- the call itself

    /**
     * The call: batches made from the case's storage (layout errors are the call's errors too),
     * then the operation; the short form is the array shorthand, or dense batches at τ = 1.
     */
    private static void call(Softmax s, BoundaryCase c, Object x, Object y) {
        Op op = c.op;
        int rows = c.rows;
        int n = c.n;
        int yCols = TestSupport.reduces(op) ? 1 : n;
        if (c.shortForm && (x instanceof float[] || x instanceof double[] || y instanceof float[] || y instanceof double[])) {
            shorthand(s, op, rows, n, x, y);
            return;
        }
        Batch xb;
        Batch yb;
        if (c.kind.isMatrix()) {
            xb = c.f32() ? Batch.of((FloatMatrix) x) : Batch.of((DoubleMatrix) x);
            yb = c.f32() ? Batch.of((FloatMatrix) y) : Batch.of((DoubleMatrix) y);
        } else {
            int xo = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, c.xo));
            int yo = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, c.yo));
            int ldx = c.shortForm ? n : c.ldx;
            int ldy = c.shortForm ? yCols : c.ldy;
            int xp = x instanceof java.nio.Buffer b ? b.position() : 0;
            int yp = y instanceof java.nio.Buffer b ? b.position() : 0;
            xb = batch(c.kind, x, c.shortForm ? 0 : xo, c.shortForm ? 0 : c.xo, rows, n, ldx);
            yb = batch(c.kind, y, c.shortForm ? 0 : yo, c.shortForm ? 0 : c.yo, rows, yCols, ldy);
            if (c.shortForm) {
                Kind.call(s, op, xb, yb, 1.0);
            } else {
                Kind.call(s, op, xb, yb, c.tau);
            }
            positionsKept(x, xp, y, yp);
            return;
        }
        if (c.shortForm) {
            switch (op) {
                case SOFTMAX -> s.softmax(xb, yb);
                case LOG_SOFTMAX -> s.logSoftmax(xb, yb);
                default -> s.logSumExp(xb, yb);
            }
        } else {
            Kind.call(s, op, xb, yb, c.tau);
        }
    }

    /** The array shorthand softmax(rows, n, x, y) and its siblings. */
    private static void shorthand(Softmax s, Op op, int rows, int n, Object x, Object y) {
        if (x instanceof float[] || y instanceof float[]) {
            float[] xa = (float[]) x;
            float[] ya = (float[]) y;
            switch (op) {
                case SOFTMAX -> s.softmax(rows, n, xa, ya);
                case LOG_SOFTMAX -> s.logSoftmax(rows, n, xa, ya);
                default -> s.logSumExp(rows, n, xa, ya);
            }
        } else {
            double[] xa = (double[]) x;
            double[] ya = (double[]) y;
            switch (op) {
                case SOFTMAX -> s.softmax(rows, n, xa, ya);
                case LOG_SOFTMAX -> s.logSoftmax(rows, n, xa, ya);
                default -> s.logSumExp(rows, n, xa, ya);
            }
        }
    }

    /** A batch over one case operand (null stays null, so that the factory's check fires). */
    private static Batch batch(Kind kind, Object arg, int offset, long longOffset, int rows, int cols, int stride) {
        return switch (kind) {
            case FLOAT_ARRAY -> Batch.of((float[]) arg, offset, rows, cols, stride);
            case DOUBLE_ARRAY -> Batch.of((double[]) arg, offset, rows, cols, stride);
            case FLOAT_DIRECT_BUFFER, FLOAT_HEAP_BUFFER -> Batch.of((FloatBuffer) arg, offset, rows, cols, stride);
            case DOUBLE_DIRECT_BUFFER, DOUBLE_HEAP_BUFFER -> Batch.of((DoubleBuffer) arg, offset, rows, cols, stride);
            case FLOAT_POINTER -> Batch.of((FloatPointer) arg, longOffset, rows, cols, stride);
            case DOUBLE_POINTER -> Batch.of((DoublePointer) arg, longOffset, rows, cols, stride);
            default -> throw new AssertionError(kind);
        };
    }

    private static void positionsKept(Object x, int xp, Object y, int yp) {
        if ((x instanceof java.nio.Buffer b && b.position() != xp) || (y instanceof java.nio.Buffer c && c.position() != yp)) {
            fail("a buffer's position moved");
        }
    }
}
