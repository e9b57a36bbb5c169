package org.softmax4j;

import java.util.Optional;

import org.softmax4j.backend.Checks;
import org.softmax4j.backend.Kernel;
import org.softmax4j.backend.Kernels;
import org.softmax4j.backend.NativeBackend;
import org.softmax4j.backend.Op;
import org.softmax4j.backend.Route;
import org.softmax4j.storage.ArrayStorage;

/**
 * Softmax, log-softmax and log-sum-exp over batches of rows, on a native or a pure-Java backend.
 *
 * <h2>Mathematics</h2>
 * For one row <i>x</i> ∈ ℝ<sup>n</sup> and a temperature τ &gt; 0 (inverse temperature a = 1/τ,
 * given as a {@link Scale}):
 * <pre>
 *   S(x/τ)_i      = exp(a·x_i) / Σ_j exp(a·x_j)             softmax
 *   LSE(x/τ)      = log Σ_j exp(a·x_j)                       log-sum-exp
 *   log S(x/τ)_i  = a·x_i − LSE(x/τ)                         log-softmax
 * </pre>
 * Every backend evaluates these stably: with m the row's maximum, the terms are
 * exp(a·(x_j − m)) ≤ 1, the maximum's term is exactly 1, and log-sum-exp is
 * a·m + log1p(Σ<sub>j≠argmax</sub> exp(a·(x_j − m))), the most accurate form (Blanchard, Higham
 * and Higham, 2021). Huge finite values such as 1e30 are therefore exact, not overflow. As τ → 0⁺
 * a row tends to one-hot on its maximum (1/m on each of m tied maxima); as τ → ∞ it tends to
 * uniform. The inverse temperature is rounded to the element type, saturating at its largest
 * finite value. The full statement (definitions, temperature, stable evaluation, derivatives,
 * the properties honoured, masks, edge cases and the accuracy contract) is
 * {@code docs/mathematics.md} in the source repository.
 *
 * <h2>Edge cases</h2>
 * <table class="striped">
 *   <caption>Results for special rows (as in PyTorch and SciPy)</caption>
 *   <thead><tr><th>row</th><th>softmax</th><th>log-softmax</th><th>log-sum-exp</th></tr></thead>
 *   <tbody>
 *   <tr><td>all −∞</td><td>NaN row</td><td>NaN row</td><td>−∞</td></tr>
 *   <tr><td>contains +∞</td><td>NaN row</td><td>NaN row</td><td>+∞ (NaN if it also holds a NaN)</td></tr>
 *   <tr><td>contains NaN</td><td>NaN row</td><td>NaN row</td><td>NaN</td></tr>
 *   <tr><td>n = 0</td><td>nothing written</td><td>nothing written</td><td>−∞</td></tr>
 *   <tr><td>rows = 0</td><td colspan="3">nothing read or written</td></tr>
 *   </tbody>
 * </table>
 * A −∞ entry in an otherwise finite row is an ordinary zero-probability class (log-softmax −∞).
 *
 * <h2>Operands and errors</h2>
 * Every operation takes {@link Batch}es ({@code rows} rows of {@code n} elements in any storage;
 * see there for the storage kinds and the errors of a layout), made once and reusable. The output
 * must have the shape the operation states and the inputs' element type: float32 or float64 (the
 * row operations also take half-precision logits: see {@link ElementType}). It may be an input
 * itself where the operation says so (the same start and stride); any other overlap is rejected.
 *
 * <p>Every argument is checked in Java before any computation, so nothing
 * outside the caller's storage is read or written: {@link IllegalArgumentException} for a wrong
 * shape or element type, a read-only output, a partial overlap or a bad scale;
 * {@link NullPointerException} for a null argument. {@code softmax(rows, n, x, y)} and its kin are
 * shorthand for dense heap-array batches.
 *
 * <h2>Derivatives and the properties of softmax as operations</h2>
 * The Jacobian and its products, inversion to logits, products of powers, the sigmoid and the
 * masked operations take the same batches, and a {@link Scale} that also reaches α ≤ 0 (uniform,
 * softmin); see {@code docs/jacobians.md}. Inference: {@link Attention}, {@link Sampler}.
 *
 * <h2>Backends and threads</h2>
 * {@link #get()} gives the native backend when its library loads, else the pure-Java reference.
 * Instances are immutable and thread-safe. The native backend gives a large batch up to
 * {@link #threads()} OpenMP threads while no other call holds the cores; results do not depend on
 * how many a call got ({@link #setThreads(int)}; README, "Running inside a server").
 */
public final class Softmax {

    /** Which implementation computes. */
    public enum Backend {
        /** The C++ core through JavaCPP: vectorised kernels, OpenMP over rows. */
        NATIVE,
        /** The pure-Java reference: plain loops in double precision, one thread. */
        JAVA
    }

    /** The system property that, set to {@code false}, keeps {@link #get()} off the native library. */
    public static final String NATIVE_PROPERTY = Kernels.NATIVE_PROPERTY;

    private static final Softmax JAVA = new Softmax(Kernels.java());

    private final Kernel kernel;

    private Softmax(Kernel kernel) {
        this.kernel = kernel;
    }

    /** The native instance, made on first demand with the native kernel. */
    private static final class Native {
        static final Softmax INSTANCE = Kernels.nativeOrNull() == null ? null : new Softmax(Kernels.nativeOrNull());
    }

    /**
     * The best backend available: native if its library loads, else the pure-Java one. The first
     * call that finds native unavailable logs one warning naming the cause.
     *
     * @return the native backend if it loads, else the pure-Java one
     */
    public static Softmax get() {
        return Native.INSTANCE != null ? Native.INSTANCE : JAVA;
    }

    /**
     * The pure-Java reference backend; always available.
     *
     * @return the pure-Java backend
     */
    public static Softmax java() {
        return JAVA;
    }

    /**
     * The native backend.
     *
     * @return the native backend
     * @throws NativeUnavailableException if the native library cannot be used, with the cause
     */
    public static Softmax nativeBackend() {
        if (Native.INSTANCE == null) throw new NativeUnavailableException(Kernels.nativeFailure());
        return Native.INSTANCE;
    }

    /**
     * Why the native backend is unavailable, or empty if it loaded.
     *
     * @return the failure, or empty if the native backend loaded
     */
    public static Optional<Throwable> nativeUnavailableCause() {
        return Optional.ofNullable(Kernels.nativeFailure());
    }

    /**
     * What the native core reports about itself and this machine.
     *
     * @return the core's version, kernels, CPU features, threads and BLAS
     * @throws NativeUnavailableException if the native library cannot be used
     */
    public static NativeInfo nativeInfo() {
        nativeBackend();
        return ((NativeBackend) Kernels.nativeOrNull()).info();
    }

    /**
     * Which implementation this is.
     *
     * @return {@link Backend#NATIVE} or {@link Backend#JAVA}
     */
    public Backend backend() {
        return kernel.backend();
    }

    /**
     * Threads this backend may use for a large batch: the pinned count, or the most the default
     * policy grants (1 for the Java backend).
     *
     * @return the thread count, &ge; 1
     */
    public int threads() {
        return kernel.threads();
    }

    /**
     * Pins the threads the native backend uses for large batches, and for the GEMMs of
     * {@link org.softmax4j.regression.SoftmaxClassifier} and training, for the whole process:
     * every such call then uses {@code threads} threads, however many other calls run at once.
     * {@code 0} restores the default: up to all the CPUs this process may use, given to a call
     * only while no other call holds them and teams are not held up by a busy machine (or, if
     * {@code OMP_NUM_THREADS} is set, that count, pinned). It may be called while other calls
     * run; each call reads the setting once. The Java backend is single-threaded and ignores this.
     *
     * @param threads the number of threads, or 0 for the default
     * @throws IllegalArgumentException if {@code threads} is negative
     */
    public void setThreads(int threads) {
        Checks.nonNegative("threads", threads);
        kernel.setThreads(threads);
    }

    @Override
    public String toString() {
        return "Softmax[" + backend() + ", threads=" + threads() + "]";
    }

    // ---------------------------------------------------------------- the row operations

    /**
     * The softmax of each row at temperature 1: y = S(x). As {@link #softmax(Batch, Batch, Scale)}.
     *
     * @param x logits, rows × n
     * @param y output probabilities, rows × n, x's element type (or float32 for half x); may be x itself
     */
    public void softmax(Batch x, Batch y) {
        softmax(x, y, Scale.ONE);
    }

    /**
     * The softmax of each row: y_i = S(αx)_i = exp(αx_i) / Σ_j exp(αx_j). With
     * {@link Scale#alpha(double)} this reaches α ≤ 0 (α = 0 uniform, α &lt; 0 softmin). y may be x
     * (in place). Edge rules as in the class documentation.
     *
     * @param x logits, rows × n: float32, float64, bfloat16 or float16
     * @param y output, rows × n, x's element type (or float32 for half x)
     * @param scale the temperature or inverse temperature α
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if y's shape or element type differs from x's, y is
     *     read-only or partially overlaps x
     * @throws IllegalStateException if a matrix is closed
     */
    public void softmax(Batch x, Batch y, Scale scale) {
        call(Op.SOFTMAX, From.LOGITS, "x", x, null, 0, scale, 0, null, null, y);
    }

    /**
     * The log-softmax of each row at temperature 1. As {@link #logSoftmax(Batch, Batch, Scale)}.
     *
     * @param x logits, rows × n
     * @param y output log-probabilities, rows × n, x's element type; may be x itself
     */
    public void logSoftmax(Batch x, Batch y) {
        logSoftmax(x, y, Scale.ONE);
    }

    /**
     * The log-softmax of each row: y = αx − LSE(αx), evaluated directly (never the log of a
     * rounded probability). As {@link #softmax(Batch, Batch, Scale)}; at α = 0 a finite row
     * gives −log n.
     *
     * @param x logits, rows × n
     * @param y output log-probabilities, rows × n, x's element type (or float32 for half x); may be x itself
     * @param scale the temperature or inverse temperature α
     */
    public void logSoftmax(Batch x, Batch y, Scale scale) {
        call(Op.LOG_SOFTMAX, From.LOGITS, "x", x, null, 0, scale, 0, null, null, y);
    }

    /**
     * The log-sum-exp of each row at temperature 1. As {@link #logSumExp(Batch, Batch, Scale)}.
     *
     * @param x logits, rows × n
     * @param out output, rows × 1, x's element type
     */
    public void logSumExp(Batch x, Batch out) {
        logSumExp(x, out, Scale.ONE);
    }

    /**
     * The log-sum-exp of each row, one value per row: out_r = LSE(αx_r) = log Σ_j exp(αx_rj)
     * (note: not τ·LSE(x/τ)). out is rows × 1. At α = 0 a finite row gives log n; n = 0 gives −∞.
     *
     * @param x logits, rows × n
     * @param out output, rows × 1, x's element type (or float32 for half x)
     * @param scale the temperature or inverse temperature α
     */
    public void logSumExp(Batch x, Batch out, Scale scale) {
        call(Op.LOG_SUM_EXP, From.LOGITS, "x", x, null, 0, scale, 0, null, null, out);
    }

    // ---------------------------------------------------------------- shorthand for heap arrays

    /**
     * {@code softmax(Batch.of(x, rows, n), Batch.of(y, rows, n))}, with errors naming x and y.
     * @param rows the number of rows, &ge; 0
     * @param n elements per row, &ge; 0
     * @param x logits, rows × n
     * @param y output probabilities, rows × n, x's element type; may be x itself
     */
    public void softmax(int rows, int n, float[] x, float[] y) {
        softmax(dense("x", x, rows, n), dense("y", y, rows, n));
    }

    /**
     * {@code softmax(Batch.of(x, rows, n), Batch.of(y, rows, n))}, with errors naming x and y.
     * @param rows the number of rows, &ge; 0
     * @param n elements per row, &ge; 0
     * @param x logits, rows × n
     * @param y output probabilities, rows × n, x's element type; may be x itself
     */
    public void softmax(int rows, int n, double[] x, double[] y) {
        softmax(dense("x", x, rows, n), dense("y", y, rows, n));
    }

    /**
     * {@code logSoftmax(Batch.of(x, rows, n), Batch.of(y, rows, n))}.
     * @param rows the number of rows, &ge; 0
     * @param n elements per row, &ge; 0
     * @param x logits, rows × n
     * @param y output log-probabilities, rows × n, x's element type; may be x itself
     */
    public void logSoftmax(int rows, int n, float[] x, float[] y) {
        logSoftmax(dense("x", x, rows, n), dense("y", y, rows, n));
    }

    /**
     * {@code logSoftmax(Batch.of(x, rows, n), Batch.of(y, rows, n))}.
     * @param rows the number of rows, &ge; 0
     * @param n elements per row, &ge; 0
     * @param x logits, rows × n
     * @param y output log-probabilities, rows × n, x's element type; may be x itself
     */
    public void logSoftmax(int rows, int n, double[] x, double[] y) {
        logSoftmax(dense("x", x, rows, n), dense("y", y, rows, n));
    }

    /**
     * {@code logSumExp(Batch.of(x, rows, n), Batch.of(out, rows, 1))}.
     * @param rows the number of rows, &ge; 0
     * @param n elements per row, &ge; 0
     * @param x logits, rows × n
     * @param out output, rows × 1, x's element type
     */
    public void logSumExp(int rows, int n, float[] x, float[] out) {
        logSumExp(dense("x", x, rows, n), dense("out", out, rows, 1));
    }

    /**
     * {@code logSumExp(Batch.of(x, rows, n), Batch.of(out, rows, 1))}.
     * @param rows the number of rows, &ge; 0
     * @param n elements per row, &ge; 0
     * @param x logits, rows × n
     * @param out output, rows × 1, x's element type
     */
    public void logSumExp(int rows, int n, double[] x, double[] out) {
        logSumExp(dense("x", x, rows, n), dense("out", out, rows, 1));
    }

    private static Batch dense(String name, float[] a, int rows, int cols) {
        return new Batch(name, ArrayStorage.of(Checks.notNull(a, name), 0, a.length), 0, rows, cols, cols);
    }

    private static Batch dense(String name, double[] a, int rows, int cols) {
        return new Batch(name, ArrayStorage.of(Checks.notNull(a, name), 0, a.length), 0, rows, cols, cols);
    }

    // ---------------------------------------------------------------- derivatives

    /** What the first input of a derivative holds. */
    public enum From {
        /** The logits x: the operation computes y = S(αx) itself. */
        LOGITS,
        /** The forward pass's saved y = S(αx) (for {@link #logSoftmaxVjp}: log y); no recomputation. */
        OUTPUT
    }

    /**
     * The full Jacobian of x ↦ S(αx) for each row:
     * <pre>  J = α·(diag(y) − y yᵀ),   y = S(αx),   J_ij = ∂S(αx)_i/∂x_j</pre>
     * Row r of {@code jacobian} holds n·n values, J_ij at element i·n + j (row-major, rows of J
     * contiguous); so a dense output needs rows·n·n elements, and a matrix output is
     * rows × (n·n). J is exactly symmetric, and each of its rows sums to 0 up to rounding: the
     * diagonal is evaluated as α·y_i·Σ<sub>j≠i</sub> y_j, which equals α·y_i(1 − y_i) for a
     * normalised y and keeps its relative accuracy where y_i is close to 1.
     *
     * <p>Edge rules: a row whose y is NaN (logits holding NaN or +∞, or all −∞; or a saved y with
     * a NaN or infinite entry) gives a NaN Jacobian. α = 0 gives J = 0 for a finite row.
     *
     * @param from whether {@code in} holds logits x or the saved y = S(αx)
     * @param in x or y, rows × n
     * @param jacobian output, rows × n·n; never the same region as {@code in} (unless n ≤ 1)
     * @param scale α, as in the forward pass
     * @throws IllegalArgumentException as for {@link #softmax(Batch, Batch, Scale)}, and if n·n
     *     exceeds the largest batch width (2³¹ − 1)
     */
    public void jacobian(From from, Batch in, Batch jacobian, Scale scale) {
        call(Op.JACOBIAN, from, null, in, null, 0, scale, 0, null, null, jacobian);
    }

    /**
     * The Jacobian-vector product of softmax for each row, without forming J:
     * <pre>  J v = α·y ⊙ (v − ⟨y, v⟩),   y = S(αx)</pre>
     * the derivative of S(αx) along v. J is symmetric, so this is also the vector-Jacobian product
     * ({@link #softmaxVjp}). out may be the same region as {@code in} or {@code v} (in place).
     * A NaN y (see {@link #jacobian}) gives a NaN row; otherwise IEEE arithmetic applies.
     *
     * @param from whether {@code in} holds logits x or the saved y = S(αx)
     * @param in x or y, rows × n
     * @param v tangents, rows × n
     * @param out output, rows × n
     * @param scale α, as in the forward pass
     */
    public void softmaxJvp(From from, Batch in, Batch v, Batch out, Scale scale) {
        call(Op.SOFTMAX_JVP, from, null, in, null, 0, scale, 0, v, null, out);
    }

    /**
     * The vector-Jacobian product of softmax, gᵀJ = J g = α·y ⊙ (g − ⟨y, g⟩) (J is symmetric):
     * the gradient with respect to x of ⟨g, S(αx)⟩, i.e. softmax's backward pass for an upstream
     * gradient g. Identical to {@link #softmaxJvp} with v = g.
     *
     * @param from whether {@code in} holds logits x or the saved y = S(αx)
     * @param in x or y, rows × n
     * @param g upstream gradient, rows × n
     * @param out output, rows × n
     * @param scale the temperature or inverse temperature α
     */
    public void softmaxVjp(From from, Batch in, Batch g, Batch out, Scale scale) {
        call(Op.SOFTMAX_JVP, from, null, in, null, 0, scale, 0, Checks.notNull(g, "g"), null, out);
    }

    /**
     * The vector-Jacobian product of log-softmax for each row: the gradient with respect to x of
     * ⟨g, log S(αx)⟩,
     * <pre>  α·(g − y·Σ_i g_i),   y = S(αx)</pre>
     * (∂ log S(αx)_i/∂x_r = α(δ_ir − y_r)). From the output, {@code in} holds the saved
     * log-softmax ℓ = αx − LSE(αx) and y = exp(ℓ). out may be the same region as {@code in} or
     * {@code g}.
     *
     * @param from whether {@code in} holds logits x or the saved log-softmax output
     * @param in x or log-probabilities, rows × n
     * @param g upstream gradient, rows × n
     * @param out output, rows × n
     * @param scale α, as in the forward pass
     */
    public void logSoftmaxVjp(From from, Batch in, Batch g, Batch out, Scale scale) {
        call(Op.LOG_SOFTMAX_VJP, from, from == From.OUTPUT ? "logProbabilities" : "x", in, null, 0, scale, 0, g,
                null, out);
    }

    /**
     * The vector-Jacobian product of log-sum-exp for each row: with g_r one upstream gradient per
     * row,
     * <pre>  out_r = g_r·∇_x LSE(αx_r) = g_r·α·S(αx_r)</pre>
     * so g = 1 gives the gradient of LSE(αx), α·S(αx) (the softmax itself at α = 1; its Jacobian,
     * the Hessian of LSE, is {@link #jacobian}). g has width 1: a dense g holds {@code rows}
     * consecutive values. out may be the same region as x.
     *
     * @param x logits, rows × n
     * @param g upstream gradient, rows × 1
     * @param out output, rows × n
     * @param scale α, as in the forward pass
     */
    public void logSumExpVjp(Batch x, Batch g, Batch out, Scale scale) {
        call(Op.LOG_SUM_EXP_VJP, From.LOGITS, "x", x, null, 0, scale, 0, g, null, out);
    }

    /**
     * The vector-Jacobian product of log-sum-exp from the forward pass's saved output
     * lse_r = LSE(αx_r): out_r = g_r·α·exp(αx_r − lse_r), one pass without the max and the sum.
     * Its accuracy is that of αx − lse, which cancels for large |αx| (relative error about
     * u·|αx|, u the unit roundoff); the other overload does not have this loss.
     *
     * @param x logits, rows × n
     * @param lse the saved LSE(αx), rows × 1
     * @param g upstream gradient, rows × 1
     * @param out output, rows × n; may be the same region as x
     * @param scale the temperature or inverse temperature α
     */
    public void logSumExpVjp(Batch x, Batch lse, Batch g, Batch out, Scale scale) {
        call(Op.LOG_SUM_EXP_VJP, From.OUTPUT, "x", x, null, 0, scale, 0, lse, g, out);
    }

    /**
     * The Jacobian of softmax times a matrix of tangents, for each row: with V_r an n × k matrix
     * (row-major: V_ij at element i·k + j of the row),
     * <pre>  J V = α·(diag(y) V − y (yᵀV)),   i.e. (J V)_ij = α·y_i·(V_ij − Σ_l y_l V_lj)</pre>
     * k JVPs at once, through BLAS ({@code ?gemv} for yᵀV). out is laid out like V.
     *
     * @param k columns of V, &ge; 0
     * @param in x or y, rows × n
     * @param tangents V, rows × n·k
     * @param out output, rows × n·k; may be the same region as tangents
     * @param from whether {@code in} holds logits x or the saved y = S(αx)
     * @param scale the temperature or inverse temperature α
     */
    public void jacobianTimes(int k, From from, Batch in, Batch tangents, Batch out, Scale scale) {
        Checks.nonNegative("k", k);
        call(Op.JACOBIAN_TIMES, from, null, in, null, k, scale, 0, tangents, null, out);
    }

    /**
     * Logits from probabilities: the x with S(αx) = p/Σp, in the given {@link Gauge} (softmax
     * is invariant to adding a constant, so one must be chosen; docs/mathematics.md, property 2):
     * <pre>  αx = log p − c·1,   c = mean(log p) | log p_k | log Σp − L</pre>
     * p need not be normalised: the result depends on p only up to a positive factor.
     * A zero probability gives a logit of −∞ (α &gt; 0) or +∞ (α &lt; 0). A row is NaN if it
     * holds a NaN, a negative value or +∞, or is all zeros; and where the gauge cannot be met:
     * a zero anywhere for {@link Gauge#zeroMean()}, p_k = 0 for {@link Gauge#pinned(int)}.
     * x may be p (in place).
     *
     * @param p probabilities, rows × n
     * @param x output logits, rows × n
     * @param gauge which constant to return
     * @param scale α, not 0 (nor, for float data, rounding to 0): x = (log p − c)/α
     * @throws IllegalArgumentException also if α = 0 or the pinned index is not below n
     */
    public void inverse(Batch p, Batch x, Gauge gauge, Scale scale) {
        Checks.notNull(gauge, "gauge");
        if (gauge instanceof Gauge.Pinned pin) {
            Checks.pinnedWithin(pin.index(), Checks.notNull(p, "p").cols());
            call(Op.INVERSE_PINNED, From.LOGITS, "p", p, null, pin.index(), scale, 0, null, null, x);
        } else if (gauge instanceof Gauge.LogSumExp lse) {
            call(Op.INVERSE_LOG_SUM_EXP, From.LOGITS, "p", p, null, 0, scale, lse.value(), null, null, x);
        } else {
            call(Op.INVERSE_ZERO_MEAN, From.LOGITS, "p", p, null, 0, scale, 0, null, null, x);
        }
    }

    /**
     * The normalised product of powers of k probability rows (docs/mathematics.md, property 3):
     * <pre>  out ∝ p₁^w₁ ⊙ p₂^w₂ ⊙ … ⊙ p_k^w_k,   Σ out = 1</pre>
     * computed in log space, out = S(Σ_i w_i·log p_i), so that neither underflow nor overflow
     * occurs. For p_i = S(x_i) this is S(w₁x₁ + … + w_k x_k): the product of experts (all w = 1),
     * the ratio S(x₁ − x₂) (w = 1, −1), and sharpening S(x)^α ∝ S(αx).
     *
     * <p>Row r of {@code p} holds the k factors one after another: factor i's entry j at element
     * i·n + j of the row (width k·n). The factors need not be normalised. A zero weight drops its
     * factor (p⁰ = 1, also for p = 0). A zero probability under a positive weight gives 0; under
     * a negative weight the product is infinite, and the row is NaN, as it is for a softmax of a
     * row holding +∞; the row is also NaN if a factor holds a NaN, a negative value or +∞, or if
     * every product is 0 (nothing to normalise). k = 0 gives the uniform 1/n.
     *
     * @param p the factors, rows × k·n with k = weights.cols()
     * @param weights the exponents w_i: 1 × k, FLOAT64 (e.g. {@code Batch.of(new double[] {1, -1}, 1, 2)},
     *     made once and reused: then the call allocates nothing), finite
     * @param out output, rows × n
     * @throws IllegalArgumentException also for weights that are not 1 × k FLOAT64 or not finite
     */
    public void combine(Batch p, Batch weights, Batch out) {
        Checks.weights(weights);
        call(Op.COMBINE, From.LOGITS, "p", p, Checks.notNull(out, "out"), weights.cols(), Scale.ONE, 0, weights,
                null, out);
    }

    /**
     * The logistic sigmoid of each element at scale α: out = σ(αz) = 1/(1 + exp(−αz)), the
     * two-class softmax: S([z₁, z₂])₁ = σ(z₁ − z₂) (docs/mathematics.md, property 7). Evaluated stably for
     * both signs (exp of a non-positive number only): σ(+∞) = 1, σ(−∞) = 0, NaN stays NaN, and
     * at α = 0 a finite z gives 1/2 and an infinite one NaN (0·∞). out may be z (in place).
     *
     * @param z input, rows × n
     * @param out output, rows × n
     * @param scale the temperature or inverse temperature α
     */
    public void sigmoid(Batch z, Batch out, Scale scale) {
        call(Op.SIGMOID, From.LOGITS, "z", z, null, 0, scale, 0, null, null, out);
    }

    /**
     * Softmax over the kept entries of each row (those whose mask flag is true), exactly 0
     * at the masked ones: the softmax of the sub-row of kept entries, scattered back. Masked
     * values are never read (they may be NaN or ±∞). A fully masked row is all 0 (not NaN); the
     * kept entries otherwise follow the plain rules (e.g. a kept +∞ makes them NaN).
     * y may be x (in place).
     *
     * @param mask rows × n flags ({@link ElementType#BOOL}: a {@code boolean[]}, or bytes of
     *     which 0 masks an entry out); never the same memory as the output
     * @param x logits, rows × n
     * @param y output, rows × n, x's element type; may be x itself
     * @param scale the temperature or inverse temperature α
     */
    public void maskedSoftmax(Batch x, Batch mask, Batch y, Scale scale) {
        call(Op.MASKED_SOFTMAX, From.LOGITS, "x", x, null, 0, scale, 0, mask, null, y);
    }

    /**
     * Log-softmax over the kept entries of each row, −∞ at the masked ones (and everywhere in a
     * fully masked row); as {@link #maskedSoftmax}.
     *
     * @param x logits, rows × n
     * @param mask rows × n flags ({@link ElementType#BOOL}): true (non-zero) keeps an entry, false masks it out
     * @param y output, rows × n, x's element type; may be x itself
     * @param scale the temperature or inverse temperature α
     */
    public void maskedLogSoftmax(Batch x, Batch mask, Batch y, Scale scale) {
        call(Op.MASKED_LOG_SOFTMAX, From.LOGITS, "x", x, null, 0, scale, 0, mask, null, y);
    }

    /**
     * Log-sum-exp over the kept entries of each row, one value per row (width 1); −∞ for a fully
     * masked row, as for an empty one.
     *
     * @param x logits, rows × n
     * @param mask rows × n flags ({@link ElementType#BOOL}): true (non-zero) keeps an entry, false masks it out
     * @param out output, rows × 1, x's element type (or float32 for half x)
     * @param scale the temperature or inverse temperature α
     */
    public void maskedLogSumExp(Batch x, Batch mask, Batch out, Scale scale) {
        call(Op.MASKED_LOG_SUM_EXP, From.LOGITS, "x", x, null, 0, scale, 0, mask, null, out);
    }

    // ---------------------------------------------------------------- the one path

    /**
     * Hands the call to the route, which checks every operand: rows from {@code first}, n from
     * {@code shape} if given, else {@code first}; a null {@code firstName} is x or y by from.
     */
    private void call(Op op, From from, String firstName, Batch first, Batch shape, int k, Scale scale,
            double param, Batch in1, Batch in2, Batch out) {
        boolean fromOutput = Checks.notNull(from, "from") == From.OUTPUT;
        Checks.notNull(first, firstName != null ? firstName : fromOutput ? "y" : "x");
        Batch sized = shape != null ? shape : first;
        double alpha = Checks.notNull(scale, "scale").alpha();
        Route.run(kernel, op, fromOutput ? Op.FROM_OUTPUT : 0, first.rows(), sized.cols(), k, alpha, param, first,
                in1, in2, null, out, null);
    }
}
