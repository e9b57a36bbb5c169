package org.softmax4j;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.softmax4j.backend.Op;

/**
 * Every operation on adversarial rows against {@link HighPrecisionReference}, with a rounding
 * error bound per element, for float and double on both backends.
 *
 * <h2>The bound</h2>
 * It is the first-order bound of the shifted algorithm's rounding error analysis in Blanchard,
 * Higham and Higham (IMA J. Numer. Anal. 41, 2021; §3–4 there), written for the way softmax4j
 * evaluates: with z_j = a(x_j − m) ≤ 0, k the arg-max, t = Σ_{j≠k} e^{z_j}, c = log1p(t),
 * U the unit roundoff of the element type (2⁻²⁴, 2⁻⁵³), U_A = 2⁻⁵³ that of the accumulation (the
 * sum is in double for both types), E the error of exp in units of U (4 ulp = 8 U: glibc's exp is
 * within 1 ulp, the vectorised kernels document 2), L = 4 that of log1p in units of U_A (2 ulp;
 * the kernels document 1.5):
 * <ul>
 *   <li>each term e_j = exp(fl(a·fl(x_j − m))) has relative error ≤ (2|z_j| + E)U: two roundings
 *       in the exponent, which exp turns into a relative error |z_j| times larger;</li>
 *   <li>the sum s = 1 + t, recursively summed, adds (n − 1)U_A, and inherits the terms' errors
 *       weighted by S_j, ≤ (2W + E)U with W = Σ_j S_j|z_j| ≤ ln n (W = H(S) − ln s);</li>
 *   <li>softmax: |ŷ_i − y_i| / y_i ≤ U(2|z_i| + 2W + 2E + 2) + n·U_A (the reciprocal and the
 *       product add a rounding each) — the paper's (|x_i − m|·a + n)·u form, with its constants;</li>
 *   <li>log-sum-exp: |ŷ − y| ≤ U(|a m| + |y|) + 2U·W + c·(E·U + n·U_A + L·U_A + U): the rounding
 *       of a·m and of the result, and the error of log1p(t̂), which is at most t̂'s relative error
 *       times t/(1 + t) ≤ c. Relative to |y| this is the paper's condition number
 *       (|a m| + c)/|y| times u, plus n·u;</li>
 *   <li>log-softmax: |ŷ_i − y_i| ≤ U(2|z_i| + |y_i|) + 2U·W + c·(E·U + n·U_A + L·U_A + U).</li>
 * </ul>
 * Second-order terms are covered by a factor 1.01. Where e_i or y_i is below the smallest normal
 * number of the type, relative accuracy is not defined and only an absolute error of two smallest
 * normals is asked for (such elements are left out of the statistics).
 *
 * <p>Measured maxima are printed as a Markdown table after the run (the README's table).
 */
class AccuracyTest {
    static final double UA = 0x1p-53;
    static final double EXP_ERROR = 8; // 4 ulp, in units of U
    static final double LOG_ERROR = 4; // 2 ulp, in units of U_A

    record Case(String name, int n, double[] taus, IntFunction<double[]> data) {
        @Override
        public String toString() {
            return name;
        }
    }

    static double[] gaussian(long seed, int n, double scale) {
        return TestSupport.gaussian(seed, n, scale);
    }

    /** Magnitudes log-uniform over 1e-3 .. 1e3, random signs. */
    static double[] wide(long seed, int n) {
        Random r = new Random(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = (r.nextBoolean() ? 1 : -1) * Math.pow(10, r.nextDouble() * 6 - 3);
        return x;
    }

    /** v and its neighbours a few units in the last place away, of the element type. */
    static double[] ties(long seed, int n, double v, boolean f32) {
        Random r = new Random(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            double d = f32 ? (float) v : v;
            for (int k = r.nextInt(6); k > 0; k--) d = f32 ? Math.nextDown((float) d) : Math.nextDown(d);
            x[i] = d;
        }
        return x;
    }

    /** Near the largest finite value of the type: ties at the top, a few ulps below, and far below. */
    static double[] nearOverflow(long seed, int n, boolean f32, double sign) {
        double top = f32 ? 0.98 * Float.MAX_VALUE : 0.98 * Double.MAX_VALUE;
        double[] x = ties(seed, n, sign * top, f32);
        Random r = new Random(seed + 1);
        for (int i = 0; i < n; i += 3) x[i] = sign * top * (0.5 + 0.4 * r.nextDouble());
        return x;
    }

    static final double[] TAUS = {0.01, 0.1, 1, 10, 100};
    static final double[] TAU_1 = {1};
    static final double[] TAU_EDGES = {0.01, 1, 100};

    static List<Case> cases(boolean f32) {
        return List.of(
                new Case("gaussian σ=3, n=1000", 1000, TAUS, n -> gaussian(1, n, 3)),
                new Case("wide range 1e-3..1e3, n=1000", 1000, TAUS, n -> wide(2, n)),
                new Case("near-ties at 1, n=1000", 1000, TAUS, n -> ties(3, n, 1, f32)),
                new Case("near-ties at 1e4, n=10", 10, TAUS, n -> ties(4, n, 1e4, f32)),
                new Case("near overflow +, n=100", 100, TAUS, n -> nearOverflow(5, n, f32, 1)),
                new Case("near overflow −, n=100", 100, TAUS, n -> nearOverflow(6, n, f32, -1)),
                new Case("[0, −60]", 2, TAUS, n -> new double[] {0, -60}),
                new Case("one dominant, 999 at −40", 1000, TAU_1, n -> {
                    double[] x = new double[n];
                    java.util.Arrays.fill(x, -40);
                    x[7] = 0;
                    return x;
                }),
                new Case("gaussian σ=10, n=10^6", 1_000_000, TAU_EDGES, n -> gaussian(7, n, 10)),
                new Case("near-ties at 1, n=10^6", 1_000_000, TAU_1, n -> ties(8, n, 1, f32)),
                new Case("wide range, n=10^6", 1_000_000, TAU_1, n -> wide(9, n)));
    }

    static Stream<Arguments> runs() {
        List<Arguments> all = new ArrayList<>();
        for (boolean f32 : new boolean[] {true, false})
            for (Case c : cases(f32)) all.add(Arguments.of(f32 ? "float" : "double", c));
        return all.stream();
    }

    /**
     * Maxima per "op dtype backend": relative error in units of U, the share of the bound used,
     * and the relative error where the element is well-conditioned.
     */
    private static final Map<String, double[]> STATS = new java.util.concurrent.ConcurrentSkipListMap<>();
    /** Where each maximum relative error occurred. */
    private static final Map<String, String> WORST = new java.util.concurrent.ConcurrentSkipListMap<>();

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("runs")
    void withinTheBound(String type, Case c) {
        boolean f32 = type.equals("float");
        double[] x = c.data.apply(c.n);
        if (f32) x = TestSupport.toDouble(TestSupport.toFloat(x));
        List<Softmax> backends = BoundaryFuzzTest.backends();
        for (double tau : c.taus) {
            double a = org.softmax4j.backend.ReferenceRows.inverseTemperature(tau, f32);
            HighPrecisionReference ref = new HighPrecisionReference(x, c.n, a);
            for (Softmax s : backends) {
                for (Op op : TestSupport.ROW_OPS) {
                    double[] got = compute(s, op, f32, x, c.n, tau);
                    String where = op + " " + type + " " + s.backend() + " " + c + " τ=" + tau;
                    judge(op, f32, ref, got, c.n, where, op + " " + type + " " + s.backend());
                }
            }
        }
    }

    private static double[] compute(Softmax s, Op op, boolean f32, double[] x, int n, double tau) {
        int outLength = TestSupport.reduces(op) ? 1 : n;
        if (f32) {
            float[] y = new float[outLength];
            Kind.call(s, op, 1, n, TestSupport.toFloat(x), 0, n, y, 0, n, tau);
            return TestSupport.toDouble(y);
        }
        double[] y = new double[outLength];
        Kind.call(s, op, 1, n, x, 0, n, y, 0, n, tau);
        return y;
    }

    private static void judge(Op op, boolean f32, HighPrecisionReference ref, double[] got, int n,
            String where, String key) {
        double u = f32 ? 0x1p-24 : 0x1p-53;
        double tiny = f32 ? Float.MIN_NORMAL : Double.MIN_NORMAL;
        double logTiny = Math.log(tiny);
        double c = ref.c.hi();
        double logTerm = c * (EXP_ERROR * u + n * UA + LOG_ERROR * UA + u);
        double[] stat = STATS.computeIfAbsent(key, k -> new double[3]);
        for (int i = 0; i < got.length; i++) {
            DoubleDouble exact;
            double bound;
            double zi = TestSupport.reduces(op) ? 0 : Math.abs(ref.z[i].hi());
            switch (op) {
                case SOFTMAX -> {
                    exact = ref.softmax[i];
                    bound = exact.hi() == 0 ? 0 : exact.hi() * (u * (2 * zi + 2 * ref.w + 2 * EXP_ERROR + 2) + n * UA);
                }
                case LOG_SOFTMAX -> {
                    exact = ref.logSoftmax(i);
                    bound = u * (2 * zi + Math.abs(exact.hi())) + 2 * u * ref.w + logTerm;
                }
                default -> {
                    exact = ref.logSumExp();
                    bound = u * (Math.abs(ref.am.hi()) + Math.abs(exact.hi())) + 2 * u * ref.w + logTerm;
                }
            }
            bound *= 1.01;
            double rounded = f32 ? (float) exact.value() : exact.value();
            if (!Double.isFinite(rounded)) {
                if (Double.compare(rounded, got[i]) != 0) fail(where + " [" + i + "]: expected " + rounded + ", got " + got[i]);
                continue;
            }
            double err = Math.abs((got[i] - exact.hi()) - exact.lo());
            boolean underflow = Math.abs(exact.hi()) < tiny || (op == Op.SOFTMAX && -zi < logTiny);
            if (underflow) {
                if (!(err <= bound + 2 * tiny)) fail(where + " [" + i + "]: error " + err + " beyond " + (bound + 2 * tiny));
                continue;
            }
            if (!(err <= bound)) {
                fail(String.format("%s [%d]: expected %s, got %s: error %.3g = %.3g u > bound %.3g u",
                        where, i, exact.value(), got[i], err, err / (u * Math.abs(exact.hi())), bound / (u * Math.abs(exact.hi()))));
            }
            // The conditioning of the element: how much the exact answer moves, relative to its
            // size, for relative perturbations of size u in the inputs of the last step.
            double kappa = switch (op) {
                case SOFTMAX -> 1 + zi;
                case LOG_SOFTMAX -> 1;
                default -> (Math.abs(ref.am.hi()) + c) / Math.abs(exact.hi());
            };
            if (exact.hi() != 0) {
                double rel = err / (u * Math.abs(exact.hi()));
                if (rel > stat[0]) WORST.put(key, where + " [" + i + "]");
                stat[0] = Math.max(stat[0], rel);
                if (kappa <= 2) stat[2] = Math.max(stat[2], rel);
            }
            stat[1] = Math.max(stat[1], bound == 0 ? 0 : err / bound);
        }
    }

    @AfterAll
    static void printTable() {
        StringBuilder sb = new StringBuilder("\nAccuracy against the double-double reference (max over all adversarial cases):\n\n");
        sb.append("| operation | type | backend | max relative error (u), well-conditioned (κ ≤ 2) | max relative error (u), all | max error / bound |\n");
        sb.append("|---|---|---|---|---|---|\n");
        for (Map.Entry<String, double[]> e : STATS.entrySet()) {
            String[] k = e.getKey().split(" ");
            double[] v = e.getValue();
            sb.append(String.format("| %s | %s | %s | %.3g | %.3g | %.3f |%n", k[0], k[1], k[2], v[2], v[0], v[1]));
        }
        sb.append("\nLargest relative errors at:\n");
        WORST.forEach((k, v) -> sb.append("  ").append(v).append('\n'));
        System.out.println(sb);
    }
}
