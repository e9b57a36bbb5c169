package org.softmax4j;

/**
 * How far a native result may be from the Java backend's, for the operations other than the
 * plain and masked row operations (those use {@link TestSupport#check}). The Java backend
 * evaluates in double and rounds once; the native kernels evaluate in the element type, in any
 * order (vector lanes, BLAS blocking, FMA). Each bound is first-order error propagation from two
 * facts, so it holds for any evaluation order:
 * <ul>
 *   <li>a softmax kernel's y carries relative error rtol·cond(y) ({@link TestSupport#rtol}: float
 *       1e-6, about 17 units in the last place; double 1e-14 + 4u√n; cond(y) = 1 + |log y|), as
 *       {@link AccuracyTest} establishes against a double-double reference;</li>
 *   <li>a sum or dot product of m terms computed in unit roundoff u (2⁻²⁴ float, 2⁻⁵³ double) is
 *       within γ_m = m·u/(1 − m·u) times the sum of the terms' magnitudes (Higham, Accuracy and
 *       Stability of Numerical Algorithms, §3.1), whatever the order.</li>
 * </ul>
 * The derivative bounds are those of {@link OperationAgreementTest} (which derives each); this
 * class applies them to fuzzed inputs where their premises hold: ordinary values (|v| &le; 100,
 * |α| &le; 10, so that no intermediate overflows) and, for a derivative from the forward pass's
 * output, an output a forward pass can give (0 &le; y &le; 1; log-probabilities &le; 0). Where
 * they do not, {@link #outputs} returns null and the caller checks only what is exact: NaN and
 * infinities in the same places, and nothing written outside the output.
 */
final class NativeTolerance {
    private NativeTolerance() {}

    static double unit(boolean f32) {
        return f32 ? 0x1p-24 : 0x1p-53;
    }

    /** γ_m for unit roundoff u. */
    static double gamma(long m, double u) {
        return m * u / (1 - m * u);
    }

    /**
     * Bounds for each element of the output operand (rows × its width, row-major), or null where
     * no numeric bound applies. {@code in} holds the inputs as stored (dense, rows × width each),
     * {@code expected} the Java backend's output, {@code w}/{@code b} the head's model as stored.
     */
    static double[] outputs(OperationCase c, double[][] in, double[] expected, double[] w, double[] b) {
        if (!c.ordinary()) return null;
        boolean f32 = c.operands.get(0).type == ElementType.FLOAT32;
        int rows = c.operands.get(0).rows;
        int n = c.operands.get(0).cols;
        double a = c.alphaValue();
        if (f32) a = (float) a;
        double rtol = TestSupport.rtol(f32, Math.max(n, 1));
        return switch (c.entry) {
            case JACOBIAN -> {
                double[] y = y(c, in[0], rows, n, a);
                yield y == null ? null : OperationAgreementTest.jacobianBounds(y, rows, n, a, rtol);
            }
            case SOFTMAX_JVP, SOFTMAX_VJP -> {
                double[] y = y(c, in[0], rows, n, a);
                yield y == null ? null : OperationAgreementTest.jvpBounds(y, in[1], rows, n, a, rtol);
            }
            case LOG_SOFTMAX_VJP -> {
                double[] y = logY(c, in[0], rows, n, a);
                yield y == null ? null : OperationAgreementTest.logSoftmaxVjpBounds(y, in[1], rows, n, a, rtol);
            }
            case JACOBIAN_TIMES -> {
                double[] y = y(c, in[0], rows, n, a);
                yield y == null ? null : OperationAgreementTest.jacobianTimesBounds(y, in[1], rows, n, c.k, a, rtol);
            }
            case LOG_SUM_EXP_VJP -> {
                // out = g α y: y's conditioning, and two roundings.
                double[] y = OperationAgreementTest.softmaxRows(in[0], rows, n, a);
                double[] bound = new double[rows * n];
                for (int i = 0; i < bound.length; i++) {
                    double yi = y[i];
                    bound[i] = 2 * rtol * Math.abs(a * in[1][i / n]) * yi * TestSupport.cond(yi);
                }
                yield bound;
            }
            case LOG_SUM_EXP_VJP_SAVED -> {
                // out = g α exp(αx − lse): exp's argument carries |αx| + |lse| units.
                double[] bound = new double[rows * n];
                for (int i = 0; i < bound.length; i++) {
                    bound[i] = 2 * rtol * Math.abs(expected[i]) * (1 + Math.abs(a * in[0][i]) + Math.abs(in[1][i / n]));
                }
                yield bound;
            }
            case INVERSE -> {
                // x = (log p − c)/α: log p_j and c are each exact to a few units of their size;
                // c is at most max|log p| + log n (+ |L| for the LSE gauge) in magnitude.
                double[] bound = new double[rows * n];
                for (int r = 0; r < rows; r++) {
                    double maxLog = 0;
                    for (int j = 0; j < n; j++) maxLog = Math.max(maxLog, Math.abs(Math.log(in[0][r * n + j])));
                    double cMax = maxLog + Math.log(Math.max(n, 1)) + Math.abs(c.gaugeLse);
                    for (int j = 0; j < n; j++) {
                        bound[r * n + j] = 2 * rtol * (Math.abs(expected[r * n + j]) + (maxLog + cMax + 2) / Math.abs(a));
                    }
                }
                yield bound;
            }
            case COMBINE -> {
                // out = S(Σ w_i log p_i): the softmax's conditioning of out_j, plus the rounding of
                // the exponent sums, Σ_i |w_i log p_ij| units (zero weights drop their factor).
                int outN = c.operands.get(c.operands.size() - 1).cols;
                int k = c.weights.length;
                double rt = TestSupport.rtol(f32, Math.max(outN, 1));
                double[] bound = new double[rows * outN];
                for (int r = 0; r < rows; r++) {
                    double spread = 0;
                    for (int j = 0; j < outN; j++) {
                        double t = 0;
                        for (int i = 0; i < k; i++) {
                            if (c.weights[i] != 0) t += Math.abs(c.weights[i] * Math.log(in[0][r * k * outN + i * outN + j]));
                        }
                        spread = Math.max(spread, t);
                    }
                    for (int j = 0; j < outN; j++) {
                        double y = expected[r * outN + j];
                        bound[r * outN + j] = 2 * rt * Math.abs(y) * (TestSupport.cond(y) + spread + k);
                    }
                }
                yield bound;
            }
            case SIGMOID -> {
                // σ(αz): exp of αz carries |αz| units.
                double[] bound = new double[rows * n];
                for (int i = 0; i < bound.length; i++) bound[i] = 2 * rtol * Math.abs(expected[i]) * (1 + Math.abs(a * in[0][i]));
                yield bound;
            }
            case PREDICT_PROBA, LOG_PROBA, SCORES -> head(c, in[0], expected, w, b, rows, n, a, f32);
            default -> null;
        };
    }

    /** y = S(αx) for a derivative: from the logits, or the saved output if a forward pass can give it. */
    private static double[] y(OperationCase c, double[] in, int rows, int n, double a) {
        if (!c.fromOutput) return OperationAgreementTest.softmaxRows(in, rows, n, a);
        for (double v : in) if (!(v >= 0 && v <= 1)) return null;
        return in;
    }

    /** y for the log-softmax VJP: S(αx), or exp of saved log-probabilities (all &le; 0). */
    private static double[] logY(OperationCase c, double[] in, int rows, int n, double a) {
        if (!c.fromOutput) return OperationAgreementTest.softmaxRows(in, rows, n, a);
        double[] y = new double[in.length];
        for (int i = 0; i < y.length; i++) {
            if (!(in[i] <= 0)) return null;
            y[i] = Math.exp(in[i]);
        }
        return y;
    }

    /**
     * The head's scores s = W x + b are dot products of d + 1 terms, so each is within
     * S_ri = γ_{d+2}·(|b_i| + Σ_j |x_rj W_ij|) (one more unit for the final rounding). Through a
     * softmax (∂y_i/∂s_j = α y_i (δ_ij − y_j)) that is |α|·y_i·(S_ri + max_j S_rj) more, through a
     * log-softmax |α|·(S_ri + max_j S_rj).
     */
    private static double[] head(OperationCase c, double[] x, double[] expected, double[] w, double[] b, int rows,
            int d, double a, boolean f32) {
        int k = c.k;
        double[] s = scoreBounds(x, w, b, rows, d, k, f32);
        double rtol = TestSupport.rtol(f32, Math.max(k, 1));
        double[] bound = new double[rows * k];
        for (int r = 0; r < rows; r++) {
            double maxS = 0;
            for (int i = 0; i < k; i++) maxS = Math.max(maxS, s[r * k + i]);
            for (int i = 0; i < k; i++) {
                double e = expected[r * k + i];
                double sr = s[r * k + i];
                bound[r * k + i] = switch (c.entry) {
                    case SCORES -> sr;
                    case PREDICT_PROBA -> rtol * Math.abs(e) * TestSupport.cond(e) + Math.abs(a) * Math.abs(e) * (sr + maxS);
                    default -> rtol * (1 + Math.abs(e)) + Math.abs(a) * (sr + maxS);
                };
            }
        }
        return bound;
    }

    static double[] scoreBounds(double[] x, double[] w, double[] b, int rows, int d, int k, boolean f32) {
        double g = gamma(d + 2L, unit(f32));
        double[] s = new double[rows * k];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < k; i++) {
                double m = Math.abs(b[i]);
                for (int j = 0; j < d; j++) m += Math.abs(x[r * d + j] * w[i * d + j]);
                s[r * k + i] = g * m;
            }
        }
        return s;
    }

    /**
     * The loss and gradient of the plain cross-entropy (mean over R rows), from the Java
     * backend's log-probabilities ℓ (rows × k): loss = −(1/R) Σ_r ℓ_r,label, dW = (1/R) Gᵀ X,
     * db = (1/R) Σ_r G_r with G = S(s) − onehot. Each ℓ and p = exp ℓ carries the bound above
     * (P_ri for p); the sums over rows add γ_{R+1} of their terms' magnitudes. Returns
     * {loss bound, dW bounds (k × d), db bounds (k)}, or null where no numeric bound applies.
     */
    static double[][] objective(OperationCase c, double[] x, double[] w, double[] b, double[] logp, int[] labels) {
        if (!c.ordinary()) return null;
        boolean f32 = c.operands.get(0).type == ElementType.FLOAT32;
        int rows = c.operands.get(0).rows;
        int d = c.operands.get(0).cols;
        int k = c.k;
        double u = unit(f32);
        double rtol = TestSupport.rtol(f32, Math.max(k, 1));
        double[] s = scoreBounds(x, w, b, rows, d, k, f32);
        double[] pBound = new double[rows * k];
        double loss = 0;
        double lossMag = 0;
        for (int r = 0; r < rows; r++) {
            double maxS = 0;
            for (int i = 0; i < k; i++) maxS = Math.max(maxS, s[r * k + i]);
            for (int i = 0; i < k; i++) {
                double p = Math.exp(logp[r * k + i]);
                pBound[r * k + i] = rtol * p * TestSupport.cond(p) + p * (s[r * k + i] + maxS);
            }
            double l = logp[r * k + labels[r]];
            loss += rtol * (1 + Math.abs(l)) + s[r * k + labels[r]] + maxS;
            lossMag += Math.abs(l);
        }
        double mean = rows == 0 ? 0 : 1.0 / rows;
        double g = gamma(rows + 1L, u);
        double[] dw = new double[k * d];
        double[] db = new double[k];
        for (int i = 0; i < k; i++) {
            double dbProp = 0;
            double dbMag = 0;
            for (int r = 0; r < rows; r++) {
                double gri = Math.exp(logp[r * k + i]) - (labels[r] == i ? 1 : 0);
                dbProp += pBound[r * k + i];
                dbMag += Math.abs(gri);
                for (int j = 0; j < d; j++) {
                    dw[i * d + j] += pBound[r * k + i] * Math.abs(x[r * d + j]) + g * Math.abs(gri * x[r * d + j]);
                }
            }
            db[i] = mean * (dbProp + g * dbMag);
            for (int j = 0; j < d; j++) dw[i * d + j] *= mean;
        }
        return new double[][] {{mean * (loss + g * lossMag)}, dw, db};
    }
}
