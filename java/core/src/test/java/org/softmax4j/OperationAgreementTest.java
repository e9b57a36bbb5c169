package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every operation on Batch views × every buffer kind × float and double × both backends, against
 * the reference (the Java backend on double arrays, from the same rounded inputs), over shapes,
 * strided layouts with offsets, in-place calls and scales α of every sign. Every element of the
 * output's storage is checked: results within their error bound, everything else untouched.
 *
 * <p>Error bounds: {@code rtol} is {@link TestSupport#rtol} (float 1e-6, about 17 units in the
 * last place; double 1e-14 + 4u√n). A float kernel computes y = S(αx) with relative error
 * rtol·(1 + |log y|) ({@link TestSupport#cond}); each derived result is bounded by rtol times the
 * sum of the magnitudes its terms contribute, each weighted by the conditioning of the y it holds
 * (first-order error propagation), times 2 for the few further roundings.
 */
class OperationAgreementTest {

    @FunctionalInterface
    interface Inputs {
        /** The logical inputs, each rows × width, dense. */
        double[][] make(int rows, int n, int k, double a, long seed);
    }

    @FunctionalInterface
    interface Invoke {
        void run(Softmax s, int rows, int n, int k, Batch[] in, Batch mask, Batch out, Scale scale);
    }

    @FunctionalInterface
    interface Bounds {
        /** The error bound of each output element (rows × out width) before the atol. */
        double[] of(double[][] in, double[] expected, int rows, int n, int k, double a, double rtol);
    }

    /**
     * An operation under test. {@code widths} gives the inputs' widths then the output's, for n
     * and k; {@code inPlace} is the input the output may share (−1: none).
     */
    record Spec(String name, java.util.function.BiFunction<Integer, Integer, int[]> widths,
            Inputs inputs, Invoke call, Bounds bounds, int inPlace, boolean masked,
            boolean usesScale, boolean allowsZeroScale, boolean jacobianSized) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A shape, layout and scale. */
    record Shape(String name, int rows, int n, int k, double alpha, boolean strided, boolean inPlace) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Shape> SHAPES = List.of(
            new Shape("1x1", 1, 1, 2, 1, false, false),
            new Shape("3x5", 3, 5, 3, 1, false, false),
            new Shape("4x7 strided", 4, 7, 2, 1, true, false),
            new Shape("5x6 in place", 5, 6, 3, 1, false, true),
            new Shape("6x9 alpha=-2 strided", 6, 9, 3, -2, true, false),
            new Shape("3x4 alpha=0", 3, 4, 2, 0, false, false),
            new Shape("2x8 alpha=40", 2, 8, 2, 40, false, false),
            new Shape("40x64 threads", 40, 64, 3, 0.5, false, false),
            new Shape("700x100 threads", 700, 100, 3, 1, false, false));

    // ---------------------------------------------------------------- the operations

    private static final Softmax REF = Softmax.java();

    static double[] softmaxRows(double[] x, int rows, int n, double a) {
        double[] y = new double[rows * n];
        REF.softmax(Batch.of(x, rows, n), Batch.of(y, rows, n), Scale.alpha(a));
        return y;
    }

    static double[] logSoftmaxRows(double[] x, int rows, int n, double a) {
        double[] y = new double[rows * n];
        REF.logSoftmax(Batch.of(x, rows, n), Batch.of(y, rows, n), Scale.alpha(a));
        return y;
    }

    static double[] lseRows(double[] x, int rows, int n, double a) {
        double[] y = new double[rows];
        REF.logSumExp(Batch.of(x, rows, n), Batch.of(y, rows, 1), Scale.alpha(a));
        return y;
    }

    private static double[] logits(int rows, int n, long seed) {
        return TestSupport.gaussian(seed, rows * n, 3);
    }

    private static int[] w(int... widths) {
        return widths;
    }

    static final List<Spec> SPECS = new ArrayList<>();

    private static void spec(String name, java.util.function.BiFunction<Integer, Integer, int[]> widths,
            Inputs inputs, Invoke call, Bounds bounds, int inPlace) {
        SPECS.add(new Spec(name, widths, inputs, call, bounds, inPlace, false, true, true, false));
    }

    static {
        // Full Jacobian: J_ij = −α y_i y_j, J_ii = α y_i Σ_{j≠i} y_j; each term y_i y_j carries
        // relative error rtol·(cond y_i + cond y_j) plus a rounding.
        SPECS.add(new Spec("jacobian(logits)", (n, k) -> w(n, n * n),
                (rows, n, k, a, seed) -> new double[][] {logits(rows, n, seed)},
                (s, rows, n, k, in, m, out, sc) -> s.jacobian(Softmax.From.LOGITS, in[0], out, sc),
                (in, e, rows, n, k, a, rtol) -> jacobianBounds(softmaxRows(in[0], rows, n, a), rows, n, a, rtol),
                -1, false, true, true, true));
        SPECS.add(new Spec("jacobian(output)", (n, k) -> w(n, n * n),
                (rows, n, k, a, seed) -> new double[][] {softmaxRows(logits(rows, n, seed), rows, n, a)},
                (s, rows, n, k, in, m, out, sc) -> s.jacobian(Softmax.From.OUTPUT, in[0], out, sc),
                (in, e, rows, n, k, a, rtol) -> jacobianBounds(in[0], rows, n, a, rtol),
                -1, false, true, true, true));

        spec("softmaxJvp(logits)", (n, k) -> w(n, n, n),
                (rows, n, k, a, seed) -> new double[][] {logits(rows, n, seed), TestSupport.gaussian(seed + 1, rows * n, 1)},
                (s, rows, n, k, in, m, out, sc) -> s.softmaxJvp(Softmax.From.LOGITS, in[0], in[1], out, sc),
                (in, e, rows, n, k, a, rtol) -> jvpBounds(softmaxRows(in[0], rows, n, a), in[1], rows, n, a, rtol), 1);
        spec("softmaxJvp(output)", (n, k) -> w(n, n, n),
                (rows, n, k, a, seed) -> new double[][] {softmaxRows(logits(rows, n, seed), rows, n, a),
                        TestSupport.gaussian(seed + 1, rows * n, 1)},
                (s, rows, n, k, in, m, out, sc) -> s.softmaxJvp(Softmax.From.OUTPUT, in[0], in[1], out, sc),
                (in, e, rows, n, k, a, rtol) -> jvpBounds(in[0], in[1], rows, n, a, rtol), 0);
        spec("softmaxVjp(output)", (n, k) -> w(n, n, n),
                (rows, n, k, a, seed) -> new double[][] {softmaxRows(logits(rows, n, seed), rows, n, a),
                        TestSupport.gaussian(seed + 1, rows * n, 1)},
                (s, rows, n, k, in, m, out, sc) -> s.softmaxVjp(Softmax.From.OUTPUT, in[0], in[1], out, sc),
                (in, e, rows, n, k, a, rtol) -> jvpBounds(in[0], in[1], rows, n, a, rtol), 1);

        // Log-softmax VJP α(g − yΣg): the magnitudes |g_i|, y_i|Σg| (with y_i's conditioning)
        // and the rounding of Σg, at most y_i Σ|g|.
        spec("logSoftmaxVjp(logits)", (n, k) -> w(n, n, n),
                (rows, n, k, a, seed) -> new double[][] {logits(rows, n, seed), TestSupport.gaussian(seed + 1, rows * n, 1)},
                (s, rows, n, k, in, m, out, sc) -> s.logSoftmaxVjp(Softmax.From.LOGITS, in[0], in[1], out, sc),
                (in, e, rows, n, k, a, rtol) -> logSoftmaxVjpBounds(softmaxRows(in[0], rows, n, a), in[1], rows, n, a, rtol), 0);
        spec("logSoftmaxVjp(output)", (n, k) -> w(n, n, n),
                (rows, n, k, a, seed) -> new double[][] {logSoftmaxRows(logits(rows, n, seed), rows, n, a),
                        TestSupport.gaussian(seed + 1, rows * n, 1)},
                (s, rows, n, k, in, m, out, sc) -> s.logSoftmaxVjp(Softmax.From.OUTPUT, in[0], in[1], out, sc),
                (in, e, rows, n, k, a, rtol) -> logSoftmaxVjpBounds(exp(in[0]), in[1], rows, n, a, rtol), 1);

        // LSE VJP α g y: the conditioning of y; from the saved LSE, exp(αx − lse) also carries
        // the cancellation of αx − lse, |αx| + |lse| units.
        spec("logSumExpVjp", (n, k) -> w(n, 1, n),
                (rows, n, k, a, seed) -> new double[][] {logits(rows, n, seed), TestSupport.gaussian(seed + 1, rows, 1)},
                (s, rows, n, k, in, m, out, sc) -> s.logSumExpVjp(in[0], in[1], out, sc),
                (in, e, rows, n, k, a, rtol) -> {
                    double[] b = new double[rows * n];
                    for (int i = 0; i < b.length; i++) b[i] = 2 * rtol * Math.abs(e[i]) * TestSupport.cond(Math.abs(e[i] / (a * in[1][i / n])));
                    return b;
                }, 0);
        spec("logSumExpVjp(saved lse)", (n, k) -> w(n, 1, 1, n),
                (rows, n, k, a, seed) -> {
                    double[] x = logits(rows, n, seed);
                    return new double[][] {x, lseRows(x, rows, n, a), TestSupport.gaussian(seed + 1, rows, 1)};
                },
                (s, rows, n, k, in, m, out, sc) -> s.logSumExpVjp(in[0], in[1], in[2], out, sc),
                (in, e, rows, n, k, a, rtol) -> {
                    double[] b = new double[rows * n];
                    for (int i = 0; i < b.length; i++) {
                        b[i] = 2 * rtol * Math.abs(e[i]) * (1 + Math.abs(a * in[0][i]) + Math.abs(in[1][i / n]));
                    }
                    return b;
                }, 0);

        spec("jacobianTimes(logits)", (n, k) -> w(n, n * k, n * k),
                (rows, n, k, a, seed) -> new double[][] {logits(rows, n, seed), TestSupport.gaussian(seed + 1, rows * n * k, 1)},
                (s, rows, n, k, in, m, out, sc) -> s.jacobianTimes(k, Softmax.From.LOGITS, in[0], in[1], out, sc),
                (in, e, rows, n, k, a, rtol) -> jacobianTimesBounds(softmaxRows(in[0], rows, n, a), in[1], rows, n, k, a, rtol), 1);
        spec("jacobianTimes(output)", (n, k) -> w(n, n * k, n * k),
                (rows, n, k, a, seed) -> new double[][] {softmaxRows(logits(rows, n, seed), rows, n, a),
                        TestSupport.gaussian(seed + 1, rows * n * k, 1)},
                (s, rows, n, k, in, m, out, sc) -> s.jacobianTimes(k, Softmax.From.OUTPUT, in[0], in[1], out, sc),
                (in, e, rows, n, k, a, rtol) -> jacobianTimesBounds(in[0], in[1], rows, n, k, a, rtol), -1);

        // Inverse x = (log p − c)/α: log p_j and c are each exact to a few units of their size.
        for (Gauge g : new Gauge[] {Gauge.zeroMean(), Gauge.pinned(0), Gauge.logSumExp(1.5)}) {
            SPECS.add(new Spec("inverse(" + g + ")", (n, k) -> w(n, n),
                    (rows, n, k, a, seed) -> {
                        // Unnormalised: each row scaled by its own positive factor.
                        double[] p = softmaxRows(logits(rows, n, seed), rows, n, 1);
                        for (int i = 0; i < p.length; i++) p[i] *= 0.5 + (i / n) % 3;
                        return new double[][] {p};
                    },
                    (s, rows, n, k, in, m, out, sc) -> s.inverse(in[0], out,
                            g instanceof Gauge.Pinned ? Gauge.pinned(n / 2) : g, sc),
                    (in, e, rows, n, k, a, rtol) -> {
                        double[] b = new double[rows * n];
                        for (int r = 0; r < rows; r++) {
                            double maxLog = 0;
                            for (int j = 0; j < n; j++) maxLog = Math.max(maxLog, Math.abs(Math.log(in[0][r * n + j])));
                            for (int j = 0; j < n; j++) {
                                b[r * n + j] = 2 * rtol * (Math.abs(e[r * n + j]) + (maxLog + 2) / Math.abs(a));
                            }
                        }
                        return b;
                    }, 0, false, true, false, false));
        }

        // Combine S(Σ w_i log p_i): the softmax's conditioning of each out_j, plus the rounding of
        // the exponent sums, Σ_i |w_i log p_ij| units.
        for (double[] weights : new double[][] {{1.5, -0.5}, {1, -1}, {1, 1, 1}}) {
            int factors = weights.length;
            SPECS.add(new Spec("combine" + java.util.Arrays.toString(weights), (n, k) -> w(factors * n, n),
                    (rows, n, k, a, seed) -> {
                        double[] p = new double[rows * factors * n];
                        for (int i = 0; i < factors; i++) {
                            double[] f = softmaxRows(logits(rows, n, seed + i), rows, n, 1);
                            for (int r = 0; r < rows; r++) System.arraycopy(f, r * n, p, r * factors * n + i * n, n);
                        }
                        return new double[][] {p};
                    },
                    (s, rows, n, k, in, m, out, sc) -> s.combine(in[0], Batch.of(weights, 1, factors), out),
                    (in, e, rows, n, k, a, rtol) -> {
                        double[] b = new double[rows * n];
                        for (int r = 0; r < rows; r++) {
                            double spread = 0;
                            for (int j = 0; j < n; j++) {
                                double t = 0;
                                for (int i = 0; i < factors; i++) t += Math.abs(weights[i] * Math.log(in[0][r * factors * n + i * n + j]));
                                spread = Math.max(spread, t);
                            }
                            for (int j = 0; j < n; j++) {
                                double y = e[r * n + j];
                                b[r * n + j] = 2 * rtol * y * (TestSupport.cond(y) + spread);
                            }
                        }
                        return b;
                    }, factors == 1 ? 0 : -1, false, false, true, false));
        }

        // Sigmoid σ(αz): exp of αz carries |αz| units of relative error.
        spec("sigmoid", (n, k) -> w(n, n),
                (rows, n, k, a, seed) -> new double[][] {TestSupport.gaussian(seed, rows * n, 20)},
                (s, rows, n, k, in, m, out, sc) -> s.sigmoid(in[0], out, sc),
                (in, e, rows, n, k, a, rtol) -> {
                    double[] b = new double[rows * n];
                    for (int i = 0; i < b.length; i++) b[i] = 2 * rtol * e[i] * (1 + Math.abs(a * in[0][i]));
                    return b;
                }, 0);

        // The row operations, plain at any α and masked: TestSupport.check's rules.
        addRowOp("softmax(alpha)", 0, false, (s, rows, n, k, in, m, out, sc) -> s.softmax(in[0], out, sc));
        addRowOp("logSoftmax(alpha)", 1, false, (s, rows, n, k, in, m, out, sc) -> s.logSoftmax(in[0], out, sc));
        addRowOp("logSumExp(alpha)", 2, false, (s, rows, n, k, in, m, out, sc) -> s.logSumExp(in[0], out, sc));
        addRowOp("maskedSoftmax", 0, true, (s, rows, n, k, in, m, out, sc) -> s.maskedSoftmax(in[0], m, out, sc));
        addRowOp("maskedLogSoftmax", 1, true, (s, rows, n, k, in, m, out, sc) -> s.maskedLogSoftmax(in[0], m, out, sc));
        addRowOp("maskedLogSumExp", 2, true, (s, rows, n, k, in, m, out, sc) -> s.maskedLogSumExp(in[0], m, out, sc));
    }

    private static void addRowOp(String name, int which, boolean masked, Invoke call) {
        boolean reduces = which == 2;
        SPECS.add(new Spec(name, (n, k) -> w(n, reduces ? 1 : n),
                (rows, n, k, a, seed) -> new double[][] {logits(rows, n, seed)},
                call,
                (in, e, rows, n, k, a, rtol) -> {
                    double[] b = new double[e.length];
                    for (int i = 0; i < b.length; i++) {
                        double y = e[i];
                        b[i] = switch (which) {
                            case 0 -> rtol * y * TestSupport.cond(y);
                            case 1 -> rtol * (1 + Math.abs(y));
                            default -> rtol * (1 + Math.abs(y) + Math.abs(a) * maxAbs(in[0], i * n, n));
                        };
                    }
                    return b;
                }, reduces ? -1 : 0, masked, true, true, false));
    }

    // ---------------------------------------------------------------- error bounds

    static double[] jacobianBounds(double[] y, int rows, int n, double a, double rtol) {
        double[] b = new double[rows * n * n];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < n; i++) {
                double yi = y[r * n + i];
                double diag = 0;
                for (int j = 0; j < n; j++) {
                    double yj = y[r * n + j];
                    double term = Math.abs(a) * yi * yj * (1 + TestSupport.cond(yi) + TestSupport.cond(yj));
                    if (j != i) {
                        b[(r * n + i) * n + j] = 2 * rtol * term;
                        diag += term;
                    }
                }
                b[(r * n + i) * n + i] = 2 * rtol * diag;
            }
        }
        return b;
    }

    /** J v = α y_i (v_i − s), s = Σ y_j v_j. */
    static double[] jvpBounds(double[] y, double[] v, int rows, int n, double a, double rtol) {
        double[] b = new double[rows * n];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            double sAbs = 0;
            for (int j = 0; j < n; j++) {
                s += y[r * n + j] * v[r * n + j];
                sAbs += TestSupport.cond(y[r * n + j]) * y[r * n + j] * Math.abs(v[r * n + j]);
            }
            for (int i = 0; i < n; i++) {
                double yi = y[r * n + i];
                double vi = v[r * n + i];
                b[r * n + i] = 2 * rtol * Math.abs(a) * yi
                        * (TestSupport.cond(yi) * Math.abs(vi - s) + Math.abs(vi) + Math.abs(s) + sAbs);
            }
        }
        return b;
    }

    static double[] logSoftmaxVjpBounds(double[] y, double[] g, int rows, int n, double a, double rtol) {
        double[] b = new double[rows * n];
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            double sumAbs = 0;
            for (int j = 0; j < n; j++) {
                sum += g[r * n + j];
                sumAbs += Math.abs(g[r * n + j]);
            }
            for (int i = 0; i < n; i++) {
                double yi = y[r * n + i];
                b[r * n + i] = 2 * rtol * Math.abs(a)
                        * (Math.abs(g[r * n + i]) + TestSupport.cond(yi) * yi * Math.abs(sum) + yi * sumAbs);
            }
        }
        return b;
    }

    /**
     * (J V)_ij = α y_i (V_ij − w_j), w = Vᵀy: as the JVP per column, with the float BLAS sum of
     * n terms allowed n units of Σ_l y_l |V_lj| (sgemv accumulates in float).
     */
    static double[] jacobianTimesBounds(double[] y, double[] V, int rows, int n, int k, double a, double rtol) {
        double[] b = new double[rows * n * k];
        double unit = rtol > 1e-9 ? 0x1p-24 : 0x1p-53;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < k; j++) {
                double wj = 0;
                double wAbs = 0;
                double plain = 0;
                for (int l = 0; l < n; l++) {
                    double yl = y[r * n + l];
                    double vl = V[(r * n + l) * k + j];
                    wj += yl * vl;
                    wAbs += TestSupport.cond(yl) * yl * Math.abs(vl);
                    plain += yl * Math.abs(vl);
                }
                for (int i = 0; i < n; i++) {
                    double yi = y[r * n + i];
                    double vij = V[(r * n + i) * k + j];
                    b[(r * n + i) * k + j] = 2 * rtol * Math.abs(a) * yi
                            * (TestSupport.cond(yi) * Math.abs(vij - wj) + Math.abs(vij) + Math.abs(wj) + wAbs
                                    + n * unit / rtol * plain);
                }
            }
        }
        return b;
    }

    private static double[] exp(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = Math.exp(x[i]);
        return y;
    }

    private static double maxAbs(double[] x, int from, int n) {
        double m = 0;
        for (int j = 0; j < n; j++) m = Math.max(m, Math.abs(x[from + j]));
        return m;
    }

    // ---------------------------------------------------------------- the test

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (Softmax.Backend b : Softmax.Backend.values())
            for (Kind kind : Kind.available())
                for (Spec spec : SPECS)
                    for (Shape shape : SHAPES) {
                        if (shape.inPlace && spec.inPlace < 0) continue;
                        if (!spec.usesScale && shape.alpha != 1) continue;
                        if (!spec.allowsZeroScale && shape.alpha == 0) continue;
                        if (spec.jacobianSized ? shape.rows == 700 : shape.rows == 40) continue;
                        all.add(Arguments.of(b, kind, spec, shape));
                    }
        return all.stream();
    }

    /** Where an operand lives in its storage. */
    record Layout(int offset, int stride, boolean dense, int length) {}

    private static Layout layout(Kind kind, Shape shape, int rows, int width, int operand) {
        int stride = shape.strided ? width + 3 : width;
        if (kind.isMatrix()) return new Layout(0, stride, false, rows * stride);
        int offset = shape.strided ? 2 + operand : 0;
        // Three spare elements after the last row catch a write past its end.
        return new Layout(offset, stride, !shape.strided, offset + rows * stride + 3);
    }

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @MethodSource("cases")
    void agreesWithReference(Softmax.Backend backend, Kind kind, Spec spec, Shape shape) {
        Softmax s = TestSupport.backend(backend);
        int rows = shape.rows;
        int n = shape.n;
        int k = shape.k;
        double a = shape.alpha;
        int[] widths = spec.widths.apply(n, k);
        int inputs = widths.length - 1;
        int outWidth = widths[inputs];
        long seed = (spec.name + shape.name).hashCode();

        double[][] logical = spec.inputs.make(rows, n, k, a, seed);
        for (int i = 0; i < inputs; i++) logical[i] = kind.rounded(logical[i]);
        Layout[] lay = new Layout[inputs + 1];
        double[][] contents = new double[inputs + 1][];
        for (int i = 0; i < inputs; i++) {
            lay[i] = layout(kind, shape, rows, widths[i], i);
            contents[i] = place(logical[i], rows, widths[i], lay[i]);
        }
        lay[inputs] = shape.inPlace ? lay[spec.inPlace] : layout(kind, shape, rows, outWidth, inputs);
        contents[inputs] = place(null, rows, outWidth, lay[inputs]);
        boolean[] flags = spec.masked ? maskFlags(rows, n, seed) : null;

        double[] got = run(s, kind, spec, shape, widths, lay, contents, flags);
        double[] expected = run(Softmax.java(), Kind.DOUBLE_ARRAY, spec, shape, widths, lay, contents, flags);
        assertEquals(expected.length, got.length, "output storage length");

        Layout o = lay[inputs];
        double[] logicalExpected = new double[rows * outWidth];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < outWidth; j++) logicalExpected[r * outWidth + j] = expected[o.offset + r * o.stride + j];
        }
        double rtol = TestSupport.rtol(kind.isFloat(), n);
        double[] bounds = spec.bounds.of(logical, logicalExpected, rows, n, k, kind.isFloat() ? (float) a : a, rtol);
        String where = backend + " " + kind + " " + spec + " " + shape + ": ";
        for (int i = 0; i < got.length; i++) {
            int rel = i - o.offset;
            int r = rel < 0 ? -1 : rel / o.stride;
            int j = rel < 0 ? -1 : rel % o.stride;
            if (r < 0 || r >= rows || j >= outWidth) {
                if (Double.compare(expected[i], got[i]) != 0) {
                    throw new AssertionError(where + "element " + i + " outside the output changed: " + got[i]
                            + " instead of " + expected[i]);
                }
                continue;
            }
            TestSupport.checkBound(kind.isFloat(), expected[i], got[i], bounds[r * outWidth + j],
                    where + "row " + r + " element " + j);
        }
    }

    private static double[] run(Softmax s, Kind kind, Spec spec, Shape shape, int[] widths, Layout[] lay,
            double[][] contents, boolean[] flags) {
        int inputs = widths.length - 1;
        List<AutoCloseable> owned = new ArrayList<>();
        try {
            TestStorage.Stored[] st = new TestStorage.Stored[inputs + 1];
            for (int i = 0; i < inputs; i++) {
                st[i] = kind.store(contents[i], shape.rows, widths[i], lay[i].offset, lay[i].stride, lay[i].dense);
                owned.add(st[i]);
            }
            if (shape.inPlace) {
                st[inputs] = st[spec.inPlace];
            } else {
                st[inputs] = kind.store(contents[inputs], shape.rows, widths[inputs], lay[inputs].offset,
                        lay[inputs].stride, lay[inputs].dense);
                owned.add(st[inputs]);
            }
            Batch[] in = new Batch[inputs];
            for (int i = 0; i < inputs; i++) in[i] = st[i].batch();
            Batch mask = null;
            if (flags != null) {
                boolean strided = shape.strided;
                int stride = strided ? shape.n + 2 : shape.n;
                boolean[] placed = new boolean[(strided ? 1 : 0) + shape.rows * stride];
                for (int r = 0; r < shape.rows; r++) {
                    System.arraycopy(flags, r * shape.n, placed, (strided ? 1 : 0) + r * stride, shape.n);
                }
                TestStorage.Stored m = kind.mask(placed, shape.rows, shape.n, strided ? 1 : 0, stride, !strided);
                owned.add(m);
                mask = m.batch();
            }
            spec.call.run(s, shape.rows, shape.n, shape.k, in, mask, st[inputs].batch(), Scale.alpha(shape.alpha));
            return st[inputs].contents();
        } finally {
            for (AutoCloseable c : owned) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    /** Storage for a layout: the rows of {@code logical} in place, the sentinel elsewhere. */
    private static double[] place(double[] logical, int rows, int width, Layout lay) {
        double[] c = new double[lay.length];
        java.util.Arrays.fill(c, Kind.SENTINEL);
        if (logical != null) {
            for (int r = 0; r < rows; r++) System.arraycopy(logical, r * width, c, lay.offset + r * lay.stride, width);
        }
        return c;
    }

    /** About 70% kept; with three rows or more, row 0 fully masked and row 1 fully kept. */
    private static boolean[] maskFlags(int rows, int n, long seed) {
        java.util.Random random = new java.util.Random(seed);
        boolean[] f = new boolean[rows * n];
        for (int i = 0; i < f.length; i++) f[i] = random.nextDouble() < 0.7;
        if (rows >= 3) {
            java.util.Arrays.fill(f, 0, n, false);
            java.util.Arrays.fill(f, n, 2 * n, true);
        }
        return f;
    }
}
