package org.softmax4j;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Set;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.softmax4j.backend.ReferenceRows;
import org.softmax4j.backend.RowOp;

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
        Guarded x = null;
        Guarded y = null;
        try {
            x = build(c, true);
            y = c.alias ? x : build(c, false);
            if (c.closeX) x.closeMatrix();
            if (c.closeY && !c.alias) y.closeMatrix();
            Set<Class<? extends RuntimeException>> allowed = c.violations();
            RuntimeException thrown = null;
            try {
                call(s, c, c.nullX ? null : x.arg, c.nullY ? null : y.arg);
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

    private static Guarded build(BoundaryCase c, boolean isX) {
        if (c.kind.isMatrix()) {
            if (isX) return Guarded.matrix(c.kind, c.rows, c.n, c.ldx, c.xs, X_SENTINEL);
            double[] fill = new double[c.yRows * c.ldy];
            Arrays.fill(fill, Kind.SENTINEL);
            return Guarded.matrix(c.kind, c.yRows, c.yCols, c.ldy, fill, Kind.SENTINEL);
        }
        if (isX) return Guarded.of(c.kind, c.xs, c.xPos, c.xExtra, X_SENTINEL, c.xVariant);
        double[] fill = new double[c.yCap];
        Arrays.fill(fill, Kind.SENTINEL);
        return Guarded.of(c.kind, fill, c.yPos, c.yExtra, Kind.SENTINEL, c.yVariant);
    }

    private static void unchanged(Guarded g, String where) {
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
    private static void verify(Softmax s, BoundaryCase c, Guarded x, Guarded y, String where) {
        boolean f32 = c.f32();
        double a = c.inverseTemperature();
        int outStride = c.op.reduces() ? (c.kind.isMatrix() ? c.ldy : 1) : c.ldy;
        int outPerRow = c.op.reduces() ? 1 : c.n;
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

    private static int outputRow(BoundaryCase c, Guarded y, int outStride, int i) {
        long rel = i - y.base - (c.kind.isMatrix() ? 0 : c.yo);
        return (int) (rel / outStride);
    }


    // ---------------------------------------------------------------- the call itself

    private static void call(Softmax s, BoundaryCase c, Object x, Object y) {
        RowOp op = c.op;
        int rows = c.rows;
        int n = c.n;
        if (c.kind.isMatrix()) {
            if (c.f32()) {
                FloatMatrix xm = (FloatMatrix) x;
                FloatMatrix ym = (FloatMatrix) y;
                switch (op) {
                    case SOFTMAX -> { if (c.shortForm) s.softmax(xm, ym); else s.softmax(xm, ym, c.tau); }
                    case LOG_SOFTMAX -> { if (c.shortForm) s.logSoftmax(xm, ym); else s.logSoftmax(xm, ym, c.tau); }
                    case LOG_SUM_EXP -> { if (c.shortForm) s.logSumExp(xm, ym); else s.logSumExp(xm, ym, c.tau); }
                }
            } else {
                DoubleMatrix xm = (DoubleMatrix) x;
                DoubleMatrix ym = (DoubleMatrix) y;
                switch (op) {
                    case SOFTMAX -> { if (c.shortForm) s.softmax(xm, ym); else s.softmax(xm, ym, c.tau); }
                    case LOG_SOFTMAX -> { if (c.shortForm) s.logSoftmax(xm, ym); else s.logSoftmax(xm, ym, c.tau); }
                    case LOG_SUM_EXP -> { if (c.shortForm) s.logSumExp(xm, ym); else s.logSumExp(xm, ym, c.tau); }
                }
            }
            return;
        }
        int xo = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, c.xo));
        int yo = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, c.yo));
        switch (c.kind) {
            case FLOAT_ARRAY -> {
                float[] xa = (float[]) x;
                float[] ya = (float[]) y;
                if (c.shortForm) {
                    switch (op) {
                        case SOFTMAX -> s.softmax(rows, n, xa, ya);
                        case LOG_SOFTMAX -> s.logSoftmax(rows, n, xa, ya);
                        case LOG_SUM_EXP -> s.logSumExp(rows, n, xa, ya);
                    }
                } else {
                    Kind.call(s, op, rows, n, xa, xo, c.ldx, ya, yo, c.ldy, c.tau);
                }
            }
            case DOUBLE_ARRAY -> {
                double[] xa = (double[]) x;
                double[] ya = (double[]) y;
                if (c.shortForm) {
                    switch (op) {
                        case SOFTMAX -> s.softmax(rows, n, xa, ya);
                        case LOG_SOFTMAX -> s.logSoftmax(rows, n, xa, ya);
                        case LOG_SUM_EXP -> s.logSumExp(rows, n, xa, ya);
                    }
                } else {
                    Kind.call(s, op, rows, n, xa, xo, c.ldx, ya, yo, c.ldy, c.tau);
                }
            }
            case FLOAT_DIRECT_BUFFER, FLOAT_HEAP_BUFFER -> {
                FloatBuffer xb = (FloatBuffer) x;
                FloatBuffer yb = (FloatBuffer) y;
                int xp = xb == null ? 0 : xb.position();
                int yp = yb == null ? 0 : yb.position();
                if (c.shortForm) {
                    switch (op) {
                        case SOFTMAX -> s.softmax(rows, n, xb, yb);
                        case LOG_SOFTMAX -> s.logSoftmax(rows, n, xb, yb);
                        case LOG_SUM_EXP -> s.logSumExp(rows, n, xb, yb);
                    }
                } else {
                    Kind.call(s, op, rows, n, xb, xo, c.ldx, yb, yo, c.ldy, c.tau);
                }
                positionsKept(xb, xp, yb, yp);
            }
            case DOUBLE_DIRECT_BUFFER, DOUBLE_HEAP_BUFFER -> {
                DoubleBuffer xb = (DoubleBuffer) x;
                DoubleBuffer yb = (DoubleBuffer) y;
                int xp = xb == null ? 0 : xb.position();
                int yp = yb == null ? 0 : yb.position();
                if (c.shortForm) {
                    switch (op) {
                        case SOFTMAX -> s.softmax(rows, n, xb, yb);
                        case LOG_SOFTMAX -> s.logSoftmax(rows, n, xb, yb);
                        case LOG_SUM_EXP -> s.logSumExp(rows, n, xb, yb);
                    }
                } else {
                    Kind.call(s, op, rows, n, xb, xo, c.ldx, yb, yo, c.ldy, c.tau);
                }
                positionsKept(xb, xp, yb, yp);
            }
            case FLOAT_POINTER -> {
                FloatPointer xp = (FloatPointer) x;
                FloatPointer yp = (FloatPointer) y;
                if (c.shortForm) {
                    switch (op) {
                        case SOFTMAX -> s.softmax(rows, n, xp, yp);
                        case LOG_SOFTMAX -> s.logSoftmax(rows, n, xp, yp);
                        case LOG_SUM_EXP -> s.logSumExp(rows, n, xp, yp);
                    }
                } else {
                    Kind.call(s, op, rows, n, xp, c.xo, c.ldx, yp, c.yo, c.ldy, c.tau);
                }
            }
            case DOUBLE_POINTER -> {
                DoublePointer xp = (DoublePointer) x;
                DoublePointer yp = (DoublePointer) y;
                if (c.shortForm) {
                    switch (op) {
                        case SOFTMAX -> s.softmax(rows, n, xp, yp);
                        case LOG_SOFTMAX -> s.logSoftmax(rows, n, xp, yp);
                        case LOG_SUM_EXP -> s.logSumExp(rows, n, xp, yp);
                    }
                } else {
                    Kind.call(s, op, rows, n, xp, c.xo, c.ldx, yp, c.yo, c.ldy, c.tau);
                }
            }
            default -> throw new AssertionError(c.kind);
        }
    }

    private static void positionsKept(java.nio.Buffer x, int xp, java.nio.Buffer y, int yp) {
        if ((x != null && x.position() != xp) || (y != null && y.position() != yp)) {
            fail("a buffer's position moved");
        }
    }
}
