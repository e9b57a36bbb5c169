package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.Function;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * The derivatives against their definitions (docs/mathematics.md, property 4), on every available backend:
 * central finite differences in float64, the explicit Jacobian, the adjoint identity, symmetry
 * and zero row sums, and the backward-pass forms against the forward ones.
 */
class JacobianPropertiesTest {
    private static final double U = 0x1p-53;
    private static final double U_F = 0x1p-24;
    private static final Softmax.From LOGITS = Softmax.From.LOGITS;
    private static final Softmax.From OUTPUT = Softmax.From.OUTPUT;

    @Provide
    Arbitrary<double[]> rows() {
        return Arbitraries.doubles().between(-5, 5).array(double[].class).ofMinSize(1).ofMaxSize(24);
    }

    private static double[] vector(double[] like, long seed) {
        return TestSupport.gaussian(seed, like.length, 1);
    }

    private static double[] softmax(Softmax s, double[] x, double a) {
        double[] y = new double[x.length];
        s.softmax(Batch.of(x, 1, x.length), Batch.of(y, 1, x.length), Scale.alpha(a));
        return y;
    }

    private static double[] plus(double[] x, double[] d, double h) {
        double[] r = x.clone();
        for (int i = 0; i < r.length; i++) r[i] += h * d[i];
        return r;
    }

    private static double dot(double[] u, double[] v) {
        double s = 0;
        for (int i = 0; i < u.length; i++) s += u[i] * v[i];
        return s;
    }

    private static double norm1(double[] v) {
        double s = 0;
        for (double d : v) s += Math.abs(d);
        return s;
    }

    /**
     * Central differences with h = 1e-6 have truncation error h²/6·|f'''| and rounding error
     * about u·|f|/h. For S(αx) along a unit-scale v, |f'''| ≤ |α|³·‖v‖³ up to a small constant,
     * so the bound 1e-7·(1 + |α|)³·(1 + ‖v‖∞)³ covers both with room, while a wrong formula (a
     * missing α, a sign, a transposition) is off by O(|α|).
     */
    private static double fdTolerance(double a, double[] v) {
        double vmax = 0;
        for (double d : v) vmax = Math.max(vmax, Math.abs(d));
        return 1e-7 * Math.pow(1 + Math.abs(a), 3) * Math.pow(1 + vmax, 3);
    }

    private static final double H = 1e-6;

    @Property(tries = 100)
    void jvpMatchesFiniteDifferences(@ForAll("rows") double[] x, @ForAll @DoubleRange(min = -3, max = 3) double a) {
        int n = x.length;
        double[] v = vector(x, n * 31L);
        for (Softmax s : TestSupport.availableBackends()) {
            double[] jv = new double[n];
            s.softmaxJvp(LOGITS, Batch.of(x, 1, n), Batch.of(v, 1, n), Batch.of(jv, 1, n), Scale.alpha(a));
            double[] fp = softmax(s, plus(x, v, H), a);
            double[] fm = softmax(s, plus(x, v, -H), a);
            double tol = fdTolerance(a, v);
            for (int i = 0; i < n; i++) assertEquals((fp[i] - fm[i]) / (2 * H), jv[i], tol, s::toString);
        }
    }

    /** The gradient of x ↦ f(x) by central differences, one coordinate at a time. */
    private static double[] fdGradient(Function<double[], Double> f, double[] x) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double[] e = new double[x.length];
            e[i] = 1;
            g[i] = (f.apply(plus(x, e, H)) - f.apply(plus(x, e, -H))) / (2 * H);
        }
        return g;
    }

    /** softmaxVjp(g) = ∇_x ⟨g, S(αx)⟩. */
    @Property(tries = 60)
    void softmaxVjpIsTheGradient(@ForAll("rows") double[] x, @ForAll @DoubleRange(min = -3, max = 3) double a) {
        int n = x.length;
        double[] g = vector(x, n * 37L);
        for (Softmax s : TestSupport.availableBackends()) {
            double[] vjp = new double[n];
            s.softmaxVjp(LOGITS, Batch.of(x, 1, n), Batch.of(g, 1, n), Batch.of(vjp, 1, n), Scale.alpha(a));
            double[] fd = fdGradient(z -> dot(g, softmax(s, z, a)), x);
            for (int i = 0; i < n; i++) assertEquals(fd[i], vjp[i], fdTolerance(a, g), s::toString);
        }
    }

    /** logSoftmaxVjp(g) = ∇_x ⟨g, log S(αx)⟩, from the logits and from the saved output. */
    @Property(tries = 60)
    void logSoftmaxVjpIsTheGradient(@ForAll("rows") double[] x, @ForAll @DoubleRange(min = -3, max = 3) double a) {
        int n = x.length;
        double[] g = vector(x, n * 41L);
        for (Softmax s : TestSupport.availableBackends()) {
            double[] vjp = new double[n];
            s.logSoftmaxVjp(LOGITS, Batch.of(x, 1, n), Batch.of(g, 1, n), Batch.of(vjp, 1, n), Scale.alpha(a));
            double[] fd = fdGradient(z -> {
                double[] l = new double[n];
                s.logSoftmax(Batch.of(z, 1, n), Batch.of(l, 1, n), Scale.alpha(a));
                return dot(g, l);
            }, x);
            for (int i = 0; i < n; i++) assertEquals(fd[i], vjp[i], fdTolerance(a, g) * n, s::toString);
            // The backward-pass form from the saved log-softmax: the same up to exp's rounding.
            double[] l = new double[n];
            s.logSoftmax(Batch.of(x, 1, n), Batch.of(l, 1, n), Scale.alpha(a));
            double[] saved = new double[n];
            s.logSoftmaxVjp(OUTPUT, Batch.of(l, 1, n), Batch.of(g, 1, n), Batch.of(saved, 1, n), Scale.alpha(a));
            double tol = 1e-13 * (1 + Math.abs(a)) * (1 + norm1(g));
            for (int i = 0; i < n; i++) assertEquals(vjp[i], saved[i], tol, s::toString);
        }
    }

    /** logSumExpVjp(g) = ∇_x g·LSE(αx) = g·α·S(αx); with the saved LSE the same. */
    @Property(tries = 60)
    void logSumExpVjpIsTheGradient(@ForAll("rows") double[] x, @ForAll @DoubleRange(min = -3, max = 3) double a,
            @ForAll @DoubleRange(min = -2, max = 2) double g) {
        int n = x.length;
        for (Softmax s : TestSupport.availableBackends()) {
            double[] grad = new double[n];
            s.logSumExpVjp(Batch.of(x, 1, n), Batch.of(new double[] {g}, 1, 1), Batch.of(grad, 1, n), Scale.alpha(a));
            double[] fd = fdGradient(z -> {
                double[] l = new double[1];
                s.logSumExp(Batch.of(z, 1, n), Batch.of(l, 1, 1), Scale.alpha(a));
                return g * l[0];
            }, x);
            // LSE(αx) reaches 5|α| + log n: its rounding u·|LSE|/h is the larger error here.
            double tol = fdTolerance(a, new double[] {g}) + 4 * U * (5 * Math.abs(a) + 4) / H;
            for (int i = 0; i < n; i++) assertEquals(fd[i], grad[i], tol, s::toString);
            double[] lse = new double[1];
            s.logSumExp(Batch.of(x, 1, n), Batch.of(lse, 1, 1), Scale.alpha(a));
            double[] saved = new double[n];
            s.logSumExpVjp(Batch.of(x, 1, n), Batch.of(lse, 1, 1), Batch.of(new double[] {g}, 1, 1), Batch.of(saved, 1, n), Scale.alpha(a));
            // exp(αx − lse) carries the rounding of αx − lse, |αx| + |lse| ≤ 2(5|α| + 4) units.
            for (int i = 0; i < n; i++) {
                assertEquals(grad[i], saved[i], 8 * U * (5 * Math.abs(a) + 4) * Math.abs(a * g) + 1e-300, s::toString);
            }
        }
    }

    /**
     * The explicit Jacobian: J v equals the JVP, J is exactly symmetric, each row sums to zero,
     * and from the saved output it is the same matrix. Checked in double and in float, on peaked
     * rows too (|α| up to 20: a dominant y_k within 1e-40 of 1, where 1 − y_k would cancel).
     */
    @Property(tries = 100)
    void jacobianIsSymmetricWithZeroRowSumsAndAgreesWithTheJvp(@ForAll("rows") double[] x,
            @ForAll @DoubleRange(min = -20, max = 20) double a) {
        int n = x.length;
        double[] v = vector(x, n * 43L);
        for (Softmax s : TestSupport.availableBackends()) {
            for (boolean f32 : new boolean[] {false, true}) {
                double[] J = jacobian(s, LOGITS, x, a, f32);
                double unit = f32 ? U_F : U;
                for (int i = 0; i < n; i++) {
                    double rowSum = 0;
                    double rowAbs = 0;
                    for (int j = 0; j < n; j++) {
                        assertEquals(J[i * n + j], J[j * n + i], 0.0, () -> s + " symmetric");
                        rowSum += J[i * n + j];
                        rowAbs += Math.abs(J[i * n + j]);
                    }
                    // Each entry is within a few units of its own size: the diagonal is the
                    // (compensated) sum of the others' magnitudes, so the sum cancels to that.
                    assertEquals(0, rowSum, 4 * n * unit * rowAbs + TestSupport.atol(f32), () -> s + " row sum");
                }
                double[] jv = jvp(s, LOGITS, x, v, a, f32);
                double[] y = softmax(Softmax.java(), x, f32 ? (float) a : a);
                double rtol = f32 ? 1e-5 : 1e-13;
                for (int i = 0; i < n; i++) {
                    double byJ = 0;
                    for (int j = 0; j < n; j++) byJ += J[i * n + j] * (f32 ? (float) v[j] : v[j]);
                    // J v and the JVP agree to the size of the terms, |α| y_i (|v_i| + Σ y|v|).
                    double scale = Math.abs(a) * y[i] * (Math.abs(v[i]) + dot(y, abs(v))) * TestSupport.cond(y[i]);
                    assertEquals(byJ, jv[i], rtol * scale * n + TestSupport.atol(f32), () -> s + " J v");
                }
                // From the saved y (in the element type) the same matrix: the native backend
                // computes y exactly so from the logits; the Java one keeps it in double there,
                // so its y_i y_j differ by the rounding of two y's, a few units of |J_ij|.
                double[] saved = f32 ? softmaxFloat(s, x, a) : softmax(s, x, a);
                double[] Jy = jacobian(s, OUTPUT, saved, a, f32);
                for (int i = 0; i < n * n; i++) {
                    assertEquals(J[i], Jy[i], 4 * unit * Math.abs(J[i]) + TestSupport.atol(f32), () -> s + " from output");
                }
            }
        }
    }

    private static double[] softmaxFloat(Softmax s, double[] x, double a) {
        float[] y = new float[x.length];
        s.softmax(Batch.of(TestSupport.toFloat(x), 1, x.length), Batch.of(y, 1, x.length), Scale.alpha(a));
        return TestSupport.toDouble(y);
    }

    private static double[] abs(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) r[i] = Math.abs(v[i]);
        return r;
    }

    private static double[] jacobian(Softmax s, Softmax.From from, double[] in, double a, boolean f32) {
        int n = in.length;
        if (!f32) {
            double[] J = new double[n * n];
            s.jacobian(from, Batch.of(in, 1, n), Batch.of(J, 1, (n) * (n)), Scale.alpha(a));
            return J;
        }
        float[] J = new float[n * n];
        s.jacobian(from, Batch.of(TestSupport.toFloat(in), 1, n), Batch.of(J, 1, (n) * (n)), Scale.alpha(a));
        return TestSupport.toDouble(J);
    }

    private static double[] jvp(Softmax s, Softmax.From from, double[] in, double[] v, double a, boolean f32) {
        int n = in.length;
        if (!f32) {
            double[] out = new double[n];
            s.softmaxJvp(from, Batch.of(in, 1, n), Batch.of(v, 1, n), Batch.of(out, 1, n), Scale.alpha(a));
            return out;
        }
        float[] out = new float[n];
        s.softmaxJvp(from, Batch.of(TestSupport.toFloat(in), 1, n), Batch.of(TestSupport.toFloat(v), 1, n), Batch.of(out, 1, n), Scale.alpha(a));
        return TestSupport.toDouble(out);
    }

    /** ⟨u, J v⟩ = ⟨Jᵀu, v⟩ with J v from the JVP and Jᵀu from the VJP; and Σ_i (J v)_i = 0. */
    @Property(tries = 100)
    void adjointIdentityAndZeroSum(@ForAll("rows") double[] x, @ForAll @DoubleRange(min = -5, max = 5) double a) {
        int n = x.length;
        double[] u = vector(x, n * 47L);
        double[] v = vector(x, n * 53L);
        for (Softmax s : TestSupport.availableBackends()) {
            double[] jv = new double[n];
            double[] jtu = new double[n];
            s.softmaxJvp(LOGITS, Batch.of(x, 1, n), Batch.of(v, 1, n), Batch.of(jv, 1, n), Scale.alpha(a));
            s.softmaxVjp(LOGITS, Batch.of(x, 1, n), Batch.of(u, 1, n), Batch.of(jtu, 1, n), Scale.alpha(a));
            // Both sides are sums of n terms of size |α|·|u|·|v|: a few n·u of that.
            double scale = Math.abs(a) * (1 + norm1(u)) * (1 + norm1(v));
            assertEquals(dot(u, jv), dot(jtu, v), 8 * n * U * scale, s::toString);
            double sum = 0;
            for (double d : jv) sum += d;
            assertEquals(0, sum, 8 * n * U * Math.abs(a) * (1 + norm1(v)), s::toString);
        }
    }

    /** The backward-pass forms from y = S(αx) agree with the forms from x. */
    @Property(tries = 100)
    void fromOutputMatchesFromLogits(@ForAll("rows") double[] x, @ForAll @DoubleRange(min = -5, max = 5) double a) {
        int n = x.length;
        double[] v = vector(x, n * 59L);
        for (Softmax s : TestSupport.availableBackends()) {
            double[] y = softmax(s, x, a);
            double[] fromX = jvp(s, LOGITS, x, v, a, false);
            double[] fromY = jvp(s, OUTPUT, y, v, a, false);
            for (int i = 0; i < n; i++) assertEquals(fromX[i], fromY[i], 0.0, s::toString);
        }
    }

    /** J V column by column is the JVP of that column, from the logits and from the output. */
    @Property(tries = 60)
    void jacobianTimesIsColumnwiseJvp(@ForAll("rows") double[] x, @ForAll @IntRange(min = 1, max = 5) int k,
            @ForAll @DoubleRange(min = -5, max = 5) double a) {
        int n = x.length;
        double[] V = TestSupport.gaussian(n * 61L + k, n * k, 1);
        for (Softmax s : TestSupport.availableBackends()) {
            for (Softmax.From from : Softmax.From.values()) {
                double[] in = from == LOGITS ? x : softmax(s, x, a);
                double[] JV = new double[n * k];
                s.jacobianTimes(k, from, Batch.of(in, 1, n), Batch.of(V, 1, (n) * (k)), Batch.of(JV, 1, (n) * (k)), Scale.alpha(a));
                for (int j = 0; j < k; j++) {
                    double[] col = new double[n];
                    for (int i = 0; i < n; i++) col[i] = V[i * k + j];
                    double[] jv = jvp(s, from, in, col, a, false);
                    double tol = 8 * n * U * Math.abs(a) * (1 + norm1(col));
                    for (int i = 0; i < n; i++) assertEquals(jv[i], JV[i * k + j], tol, s::toString);
                }
            }
        }
    }

    /** Batches: each row's Jacobian is the one it has alone, on a batch large enough for threads. */
    @Property(tries = 10)
    void jacobianRowsAreIndependent(@ForAll @IntRange(min = 2, max = 40) int rows, @ForAll @IntRange(min = 40, max = 70) int n) {
        double[] x = TestSupport.gaussian(rows * 1000L + n, rows * n, 3);
        for (Softmax s : TestSupport.availableBackends()) {
            float[] all = new float[rows * n * n];
            float[] xf = TestSupport.toFloat(x);
            s.jacobian(LOGITS, Batch.of(xf, rows, n), Batch.of(all, rows, n * n), Scale.ONE);
            for (int r = 0; r < rows; r++) {
                float[] one = new float[n * n];
                s.jacobian(LOGITS, Batch.of(xf, r * n, 1, n, n), Batch.of(one, 1, n * n), Scale.ONE);
                for (int i = 0; i < n * n; i++) assertEquals(one[i], all[r * n * n + i], 0.0f, s::toString);
            }
        }
    }
}
