package org.softmax4j;

import org.softmax4j.backend.Checks;
import org.softmax4j.backend.Kernel;
import org.softmax4j.backend.Kernels;
import org.softmax4j.backend.Op;
import org.softmax4j.backend.Route;

/**
 * The attention softmax, fused: scale, an optional additive bias and a mask given by index, in
 * one pass over a block of scores, bound to a {@link Softmax} backend. Immutable and thread-safe;
 * make one and reuse it.
 *
 * <h2>Mathematics</h2>
 * For each row i of a {@code rows × n} scores block s, a scale c (typically 1/√d for head
 * dimension d) and an additive bias b (none, one row per score row, or one row for all):
 * <pre>
 *   z_ij   = c·s_ij + b_ij                                     for the columns j row i sees
 *   y_ij   = exp(z_ij − m_i) / Σ_{l visible} exp(z_il − m_i)   softmax, m_i = max_{l visible} z_il
 *   LSE_i  = log Σ_{l visible} exp(z_il)                       log-sum-exp
 *   log y_ij = z_ij − LSE_i                                    log-softmax
 * </pre>
 * The visible columns are given by an {@link AttentionMask} (all, causal with an offset, a
 * sliding window), never by a mask tensor.
 *
 * <h2>Edge cases</h2>
 * Masked entries are never read (they may hold anything) and come out exactly 0 (softmax) or −∞
 * (log-softmax). A row that sees nothing is all 0 (softmax), all −∞ (log-softmax) and has
 * LSE −∞. The visible entries follow {@link Softmax}'s edge-case table (a visible NaN or +∞
 * makes the row NaN). The output may be the scores themselves (in place); any other overlap, and
 * a bias sharing memory with the output, is rejected.
 *
 * <h2>Errors</h2>
 * Checked in Java before any computation, nothing outside the caller's storage is read or
 * written: {@link NullPointerException} for a null scores, output or mask (the bias may be null);
 * {@link IllegalArgumentException} for a scale that is not finite, scores that are not FLOAT32
 * or FLOAT64, an output or bias of another shape or element type, a read-only output or an
 * overlap; {@link IllegalStateException} for a closed matrix or arena.
 */
public final class Attention {
    private final Softmax backend;
    private final Kernel kernel;

    private Attention(Softmax backend) {
        this.backend = backend;
        this.kernel = Kernels.of(backend.backend());
    }

    /**
     * The attention softmax on the best backend, {@link Softmax#get()}.
     *
     * @return an attention softmax on the native backend if it loads, else on the pure-Java one
     */
    public static Attention get() {
        return on(Softmax.get());
    }

    /**
     * The attention softmax on {@code backend}.
     *
     * @param backend the backend that computes, e.g. {@link Softmax#java()}
     * @return an attention softmax on that backend
     * @throws NullPointerException if backend is null
     */
    public static Attention on(Softmax backend) {
        return new Attention(Checks.notNull(backend, "backend"));
    }

    /**
     * The backend that computes.
     *
     * @return the backend
     */
    public Softmax backend() {
        return backend;
    }

    /**
     * The attention softmax of each row: y_ij = exp(c·s_ij + b_ij − m_i) / Σ<sub>l visible</sub>
     * exp(c·s_il + b_il − m_i) at the visible columns, exactly 0 at the others; a row that sees
     * nothing is all 0.
     *
     * @param scores s, rows × n, FLOAT32, FLOAT64, BFLOAT16 or FLOAT16
     * @param bias the additive bias b: null for none, rows × n, or 1 × n added to every row
     *     (s's element type; never the same memory as y)
     * @param y output, rows × n, s's element type; may be s itself
     * @param scale c, finite (typically 1/√d)
     * @param mask which columns each row sees
     */
    public void softmax(Batch scores, Batch bias, Batch y, double scale, AttentionMask mask) {
        run(Op.ATTENTION_SOFTMAX, scores, bias, y, scale, mask);
    }

    /**
     * The attention log-softmax of each row: c·s_ij + b_ij − LSE_i at the visible columns, −∞ at
     * the others (and everywhere in a row that sees nothing); evaluated directly, never as the
     * log of a rounded probability. As {@link #softmax}.
     *
     * @param scores s, rows × n, FLOAT32, FLOAT64, BFLOAT16 or FLOAT16
     * @param bias the additive bias: null, rows × n, or 1 × n
     * @param y output, rows × n, s's element type; may be s itself
     * @param scale c, finite
     * @param mask which columns each row sees
     */
    public void logSoftmax(Batch scores, Batch bias, Batch y, double scale, AttentionMask mask) {
        run(Op.ATTENTION_LOG_SOFTMAX, scores, bias, y, scale, mask);
    }

    /**
     * The log-sum-exp of each row's visible c·s + b, one value per row: LSE_i =
     * log Σ<sub>l visible</sub> exp(c·s_il + b_il); −∞ for a row that sees nothing.
     *
     * @param scores s, rows × n, FLOAT32, FLOAT64, BFLOAT16 or FLOAT16
     * @param bias the additive bias: null, rows × n, or 1 × n
     * @param out output, rows × 1, s's element type
     * @param scale c, finite
     * @param mask which columns each row sees
     */
    public void logSumExp(Batch scores, Batch bias, Batch out, double scale, AttentionMask mask) {
        run(Op.ATTENTION_LOG_SUM_EXP, scores, bias, out, scale, mask);
    }

    /** The one path of the three: the mask and the bias's form become flags, the route checks the rest. */
    private void run(Op op, Batch scores, Batch bias, Batch y, double scale, AttentionMask mask) {
        Checks.notNull(scores, "scores");
        Checks.notNull(mask, "mask");
        Checks.attentionScale(scale);
        int flags = (mask.isCausal() ? Op.CAUSAL : 0)
                | (bias != null && bias.rows() == 1 && scores.rows() != 1 ? Op.BROADCAST : 0);
        Route.run(kernel, op, flags, scores.rows(), scores.cols(), mask.offset(), scale, mask.window(), scores, bias,
                null, null, y, null);
    }

    @Override
    public String toString() {
        return "Attention[" + backend.backend() + "]";
    }
}
