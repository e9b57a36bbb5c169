package org.softmax4j;

import java.util.LinkedHashSet;
import java.util.Set;

import org.softmax4j.backend.Op;

/**
 * One call of a public entry point with arguments drawn near and across every boundary the API
 * documents: shapes (including negative and huge), strides below n and beyond the buffer,
 * offsets before, at and after the ends, capacities a few elements short or long, buffer
 * positions and limits, temperatures (0.01 to 100, and 0, −0, negative, NaN, ±∞, subnormal,
 * 1e±300), values (NaN, ±∞, ±0, subnormals, ±3e38, ±1e308, near-ties, ordinary), and aliasing,
 * nulls, read-only and wrongly ordered buffers, mismatched and closed matrices.
 *
 * <p>{@link #violations()} states independently, from the README's error table, which exceptions
 * the call may throw: none for a valid call.
 */
final class BoundaryCase {
    final Op op;
    final Kind kind;
    /** The short overload: offsets 0, dense rows, temperature 1. */
    boolean shortForm;
    int rows;
    int n;
    long xo;
    int ldx;
    long yo;
    /** Stride of y; for log-sum-exp the stride of the output column (1 except for matrices). */
    int ldy;
    double tau = 1;
    /** Elements the API sees in x and y (array length, position to limit). */
    int xCap;
    int yCap;
    int xPos;
    int yPos;
    int xExtra;
    int yExtra;
    /** y is the same object as x. */
    boolean alias;
    boolean nullX;
    boolean nullY;
    Allocation.Variant xVariant = Allocation.Variant.NORMAL;
    Allocation.Variant yVariant = Allocation.Variant.NORMAL;
    /** Matrices: y's shape, and whether either is closed before the call. */
    int yRows;
    int yCols;
    boolean closeX;
    boolean closeY;
    /** x's API-visible elements (matrices: rows × ldx). */
    double[] xs;

    private BoundaryCase(Op op, Kind kind) {
        this.op = op;
        this.kind = kind;
    }

    static final double[] TEMPERATURES = {1, 1, 0.01, 100, 0.5, 7, 1e-300, Double.MIN_VALUE, 1e-310,
            1e300, Double.MAX_VALUE, 1e-38, 1e38, 1e-45, 3e-39, 0, -0.0, -1, Double.NaN,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};

    static final double[] SPECIALS = {Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, Double.MIN_VALUE,
            -Double.MIN_VALUE, 1e-310, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40, 3e38, -3e38,
            Float.MAX_VALUE, -Float.MAX_VALUE, 1e308, -1e308, Double.MAX_VALUE, -Double.MAX_VALUE,
            1e30, -1e30, 1e4};

    /** Largest storage a case allocates, in elements. */
    private static final int MAX_STORAGE = 1 << 18;

    static BoundaryCase draw(Op op, Kind kind, Choices c) {
        BoundaryCase k = new BoundaryCase(op, kind);
        boolean large = c.chance(OperationCase.LARGE_PERCENT);
        if (large) {
            // Enough work for the native driver to split rows over threads (>= 2^16 elements).
            k.rows = c.between(2, 40);
            k.n = c.between(1500, 4000);
        } else {
            k.rows = c.chance(3) ? c.pick(-1, -2, Integer.MIN_VALUE) : c.between(0, 6);
            k.n = c.chance(3) ? c.pick(-1, Integer.MIN_VALUE) : c.between(0, 40);
        }
        k.nullX = c.chance(2);
        k.nullY = c.chance(2);
        k.alias = c.chance(12);
        if (k.alias) k.nullY = k.nullX; // y is x, whatever x is
        if (kind.isMatrix()) return drawMatrix(k, c);

        k.shortForm = c.chance(20);
        if (k.shortForm) {
            k.ldx = k.n;
            k.ldy = TestSupport.reduces(op) ? 1 : k.n;
        } else {
            k.ldx = stride(k.n, c);
            k.ldy = TestSupport.reduces(op) ? 1 : stride(k.n, c);
            k.tau = c.chance(60) ? c.pick(TEMPERATURES) : Math.exp(c.between(-4605, 4605) / 1000.0);
            k.xo = offset(c);
            k.yo = k.alias && c.chance(50) ? k.xo : offset(c);
        }
        long xNeed = k.xo + span(k.rows, k.n, k.ldx);
        long yNeed = k.yo + (TestSupport.reduces(op) ? span(k.rows, 1, 1) : span(k.rows, k.n, k.ldy));
        k.xCap = capacity(xNeed, c);
        k.yCap = k.alias ? k.xCap : capacity(yNeed, c);
        boolean buffer = kind.name().contains("BUFFER");
        boolean pointer = kind.name().contains("POINTER");
        if (buffer || pointer) {
            k.xPos = c.between(0, 3);
            k.yPos = k.alias ? k.xPos : c.between(0, 3);
            k.xExtra = c.between(0, 2);
            k.yExtra = k.alias ? k.xExtra : c.between(0, 2);
        }
        if (buffer && !k.alias) {
            boolean direct = kind.name().contains("DIRECT");
            if (c.chance(3)) k.yVariant = Allocation.Variant.READ_ONLY;
            // A read-only x is fine when direct (read in place) and unusable when heap (no array).
            if (c.chance(4)) k.xVariant = Allocation.Variant.READ_ONLY;
            if (direct && c.chance(3)) k.xVariant = Allocation.Variant.FOREIGN_ORDER;
            if (direct && c.chance(3)) k.yVariant = Allocation.Variant.FOREIGN_ORDER;
        }
        k.xs = values(k.xCap, Math.max(k.n, 1), c);
        return k;
    }

    private static BoundaryCase drawMatrix(BoundaryCase k, Choices c) {
        k.rows = Math.max(k.rows, 0);
        k.n = Math.max(k.n, 0);
        k.shortForm = c.chance(30);
        if (!k.shortForm) k.tau = c.chance(60) ? c.pick(TEMPERATURES) : Math.exp(c.between(-4605, 4605) / 1000.0);
        k.ldx = k.n + (c.chance(70) ? 0 : c.between(1, 3));
        if (TestSupport.reduces(k.op)) {
            k.yRows = k.rows;
            k.yCols = 1;
            k.ldy = c.between(1, 3);
        } else {
            k.yRows = k.rows;
            k.yCols = k.n;
            k.ldy = k.n + (c.chance(70) ? 0 : c.between(1, 3));
        }
        if (c.chance(5)) k.yRows += c.pick(-1, 1);
        if (c.chance(5)) k.yCols += c.pick(-1, 1);
        k.yRows = Math.max(k.yRows, 0);
        k.yCols = Math.max(k.yCols, 0);
        k.ldy = Math.max(k.ldy, k.yCols);
        k.closeX = c.chance(3);
        k.closeY = c.chance(3);
        if (k.alias) {
            k.yRows = k.rows;
            k.yCols = k.n;
            k.ldy = k.ldx;
            k.closeY = k.closeX;
        }
        k.xs = values(k.rows * k.ldx, Math.max(k.n, 1), c);
        return k;
    }

    /** A stride: mostly n to n + 4, sometimes below n, sometimes huge. */
    private static int stride(int n, Choices c) {
        int k = c.between(0, 99);
        if (k < 80) return n + c.between(0, 4);
        if (k < 88) return n - c.between(1, 3);
        if (k < 94) return c.pick(Integer.MAX_VALUE, 1 << 20, n + 1000);
        return c.pick(0, -1, Integer.MIN_VALUE);
    }

    /** An offset: mostly 0 to 5, sometimes negative or huge. */
    private static long offset(Choices c) {
        int k = c.between(0, 99);
        if (k < 88) return c.between(0, 5);
        if (k < 94) return c.pick(-1, -2, Integer.MIN_VALUE);
        return c.pick(Integer.MAX_VALUE, 1 << 20);
    }

    /** The elements a region needs, a few more or fewer, bounded so that no case allocates much. */
    private static int capacity(long need, Choices c) {
        long cap = need + c.between(-2, 4);
        if (c.chance(5)) cap = c.between(0, 8);
        return (int) Math.max(0, Math.min(cap, MAX_STORAGE));
    }

    /** Data: a density of special values, then ordinary values at one scale, with near-ties. */
    private static double[] values(int count, int n, Choices c) {
        int specialPercent = c.pick(0, 0, 2, 10, 40);
        double scale = c.pick(1, 1, 30, 1e4, 1e-3);
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
            int k = c.between(0, 99);
            if (k < specialPercent) {
                v[i] = c.pick(SPECIALS);
            } else if (k >= 92 && i > 0) {
                // A near-tie with the previous value: the same, or a few units in the last place away.
                double p = v[i - 1];
                int steps = c.between(-2, 2);
                for (int s = 0; s < Math.abs(steps); s++) p = steps > 0 ? Math.nextUp(p) : Math.nextDown(p);
                v[i] = p;
            } else {
                v[i] = c.ordinary() * scale;
            }
        }
        return v;
    }

    static long span(long rows, long n, long ld) {
        return rows <= 0 || n <= 0 ? 0 : (rows - 1) * ld + n;
    }

    boolean f32() {
        return kind.isFloat();
    }

    /** Inverse temperature the kernels use, as documented: rounded to the element type, saturated. */
    double inverseTemperature() {
        return org.softmax4j.backend.ReferenceRows.inverseTemperature(tau, f32());
    }

    /**
     * The exceptions this call may throw, from the documented rules alone: empty if the call is
     * valid. More than one when several rules are broken, since the order of the checks is not
     * part of the contract.
     */
    Set<Class<? extends RuntimeException>> violations() {
        Set<Class<? extends RuntimeException>> v = new LinkedHashSet<>();
        if (nullX || nullY) v.add(NullPointerException.class);
        if (kind.isMatrix()) {
            if (closeX || closeY) v.add(IllegalStateException.class);
            if (yRows != rows || yCols != (TestSupport.reduces(op) ? 1 : n)) v.add(IllegalArgumentException.class);
            if (!(tau > 0 && tau < Double.POSITIVE_INFINITY)) v.add(IllegalArgumentException.class);
            if (alias && overlapsBadly(rows, n, 0, ldx, 0, ldx)) v.add(IllegalArgumentException.class);
            return v;
        }
        boolean directReadOnlyX = xVariant == Allocation.Variant.READ_ONLY && kind.name().contains("DIRECT");
        if ((xVariant != Allocation.Variant.NORMAL && !directReadOnlyX) || yVariant != Allocation.Variant.NORMAL) {
            v.add(IllegalArgumentException.class);
        }
        if (!(tau > 0 && tau < Double.POSITIVE_INFINITY)) v.add(IllegalArgumentException.class);
        if (rows < 0 || n < 0) {
            v.add(IllegalArgumentException.class);
            return v; // extents are meaningless for such a shape
        }
        if (ldx < n || (!TestSupport.reduces(op) && ldy < n)) v.add(IllegalArgumentException.class);
        if (outside(xCap, xo, span(rows, n, ldx))) v.add(IndexOutOfBoundsException.class);
        long ySpan = TestSupport.reduces(op) ? span(rows, 1, 1) : span(rows, n, ldy);
        if (outside(yCap, yo, ySpan)) v.add(IndexOutOfBoundsException.class);
        if (alias && v.isEmpty() && overlapsBadly(rows, n, xo, ldx, yo, ldy)) {
            v.add(IllegalArgumentException.class);
        }
        return v;
    }

    private static boolean outside(long length, long offset, long count) {
        return offset < 0 || offset > length || count > length - offset;
    }

    /**
     * x and y regions in the same storage intersect other than as an in-place call (the same
     * start, stride and width); an empty region overlaps nothing.
     */
    private boolean overlapsBadly(int rows, int n, long xo, int ldx, long yo, int ldy) {
        int yWidth = TestSupport.reduces(op) ? 1 : n;
        long xEnd = xo + span(rows, n, ldx);
        long yEnd = yo + span(rows, yWidth, ldy);
        if (xEnd == xo || yEnd == yo || xEnd <= yo || yEnd <= xo) return false;
        return xo != yo || ldx != ldy || n != yWidth;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(op).append(' ').append(kind).append(shortForm ? " short" : "")
                .append(" rows=").append(rows).append(" n=").append(n)
                .append(" xo=").append(xo).append(" ldx=").append(ldx)
                .append(" yo=").append(yo).append(" ldy=").append(ldy).append(" tau=").append(tau)
                .append(" xCap=").append(xCap).append(" yCap=").append(yCap)
                .append(" pos=").append(xPos).append('/').append(yPos);
        if (alias) sb.append(" alias");
        if (nullX) sb.append(" nullX");
        if (nullY) sb.append(" nullY");
        if (xVariant != Allocation.Variant.NORMAL) sb.append(" x:").append(xVariant);
        if (yVariant != Allocation.Variant.NORMAL) sb.append(" y:").append(yVariant);
        if (kind.isMatrix()) sb.append(" y=").append(yRows).append('x').append(yCols);
        if (closeX) sb.append(" closeX");
        if (closeY) sb.append(" closeY");
        if (xs.length <= 64) sb.append(" x=").append(java.util.Arrays.toString(xs));
        return sb.toString();
    }
}
