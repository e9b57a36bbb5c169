package org.softmax4j.backend;

/**
 * The operations, one vocabulary for the route, both kernels and the C core: each constant's
 * {@link #code} is its value of {@code enum sm4j_op} in {@code native/include/softmax4j.h}, and
 * it declares its operands (slot, name, element type, rows and width per row), which is all the
 * route needs to check a call. Widths are in terms of the call's {@code n} (elements per input
 * row; the features d for the head) and {@code k} (tangent columns, factors, classes).
 */
public enum Op {
    /** out = S(a x). */
    SOFTMAX(0, in(0, "x", Width.N), out(0, "y", Width.N)),
    /** out = a x − LSE(a x). */
    LOG_SOFTMAX(1, in(0, "x", Width.N), out(0, "y", Width.N)),
    /** out (1 per row) = LSE(a x). */
    LOG_SUM_EXP(2, in(0, "x", Width.N), out(0, "out", Width.ONE)),
    /**
     * out = x: the same rows moved through the same route, bridge and driver with no arithmetic.
     * Not an operation of the API: the benchmarks' baseline, the cost of the bytes alone.
     */
    COPY(3, in(0, "x", Width.N), out(0, "y", Width.N)),
    /** out (n·n per row) = a (diag(y) − y yᵀ). */
    JACOBIAN(16, in(0, "x", "y", Width.N), out(0, "jacobian", Width.N_N)),
    /** out = J v. */
    SOFTMAX_JVP(17, in(0, "x", "y", Width.N), in(1, "v", Width.N), out(0, "out", Width.N)),
    /** out = a (g − y Σg). */
    LOG_SOFTMAX_VJP(18, in(0, "x", "logProbabilities", Width.N), in(1, "g", Width.N),
            out(0, "out", Width.N)),
    /** out = a g y (g one per row); from the output: in1 = the saved LSE, in2 = g. */
    LOG_SUM_EXP_VJP(19, in(0, "x", Width.N), in(1, "g", "lse", Width.ONE),
            in(2, null, "g", Width.ONE), out(0, "out", Width.N)),
    /** out (n·k per row) = J V. */
    JACOBIAN_TIMES(20, in(0, "x", "y", Width.N), in(1, "tangents", Width.N_K),
            out(0, "out", Width.N_K)),
    /** out = logits with mean(a x) = 0. */
    INVERSE_ZERO_MEAN(21, in(0, "p", Width.N), out(0, "x", Width.N)),
    /** out = logits with x_k = 0 (k the call's k). */
    INVERSE_PINNED(22, in(0, "p", Width.N), out(0, "x", Width.N)),
    /** out = logits with LSE(a x) = the call's param. */
    INVERSE_LOG_SUM_EXP(23, in(0, "p", Width.N), out(0, "x", Width.N)),
    /** out = the normalised Π p_i^w_i; in0 = k factors, in1 = the k weights. */
    COMBINE(24, in(0, "p", Width.K_N), extra(in(1, "weights", Width.K), Kind.FLOAT64, Rows.ONE),
            out(0, "out", Width.N)),
    /** out = σ(a x), element-wise. */
    SIGMOID(25, in(0, "z", Width.N), out(0, "out", Width.N)),
    /** Softmax over the kept entries, 0 elsewhere. */
    MASKED_SOFTMAX(26, in(0, "x", Width.N), mask(), out(0, "y", Width.N)),
    /** Log-softmax over the kept entries, −∞ elsewhere. */
    MASKED_LOG_SOFTMAX(27, in(0, "x", Width.N), mask(), out(0, "y", Width.N)),
    /** out (1 per row) = LSE over the kept entries. */
    MASKED_LOG_SUM_EXP(28, in(0, "x", Width.N), mask(), out(0, "out", Width.ONE)),
    /** y = x Wᵀ + b: the scores of the linear head (n = d features, k classes). */
    LINEAR_SCORES(32, head()),
    /** y = S(a (x Wᵀ + b)). */
    LINEAR_SOFTMAX(33, head()),
    /** y = log S(a (x Wᵀ + b)). */
    LINEAR_LOG_SOFTMAX(34, head()),
    /**
     * The weighted cross-entropy of log-probabilities z (rows × k, out0, read and with
     * {@link #GRADIENT} overwritten by G) against labels (in0), with class weights (in1,
     * optional); the loss goes to out1. a is the loss scale, param the label smoothing.
     */
    CROSS_ENTROPY(35, disjoint(extra(in(0, "labels", Width.ONE), Kind.INT32, Rows.BATCH)),
            disjoint(optional(extra(in(1, "classWeights", Width.K), Kind.FLOAT64, Rows.ONE))),
            out(0, "z", Width.K), extra(out(1, "loss", Width.ONE), Kind.FLOAT64, Rows.ONE)),
    /** dW = Gᵀ x (k rows of n) into out0 and db = the column sums of G (one row of k) into out1. */
    LINEAR_GRADIENT(36, disjoint(in(0, "g", Width.K)), disjoint(in(1, "x", Width.N)),
            extra(out(0, "dw", Width.N), Kind.DATA, Rows.K), extra(out(1, "db", Width.K), Kind.DATA, Rows.ONE)),
    /**
     * The attention softmax: out = S(a s + bias) over the columns each row sees (all, or with
     * {@link #CAUSAL} j ≤ i + k, and with param = W &gt; 0 also j &gt; i + k − W), exactly 0
     * elsewhere. The bias is optional, rows × n, or one row with {@link #BROADCAST}.
     */
    ATTENTION_SOFTMAX(40, attention(Width.N)),
    /** As {@link #ATTENTION_SOFTMAX}, log-softmax: −∞ at the masked entries. */
    ATTENTION_LOG_SOFTMAX(41, attention(Width.N)),
    /** As {@link #ATTENTION_SOFTMAX}, LSE (1 per row): −∞ for a row that sees nothing. */
    ATTENTION_LOG_SUM_EXP(42, attention(Width.ONE)),
    /**
     * Token sampling: out0 (one INT32 per row) = the token drawn from row r of in0 (n logits),
     * in1 = history (k INT32 ids per row, −1 padding; optional), in2 = the sampler (one FLOAT64
     * row, {@link Sampling#spec}); param = the step.
     */
    SAMPLE(44, disjoint(in(0, "logits", Width.N)),
            disjoint(optional(extra(in(1, "history", Width.K), Kind.INT32, Rows.BATCH))),
            disjoint(extra(in(2, "sampler", Width.OWN), Kind.FLOAT64, Rows.ONE)),
            extra(out(0, "tokens", Width.ONE), Kind.INT32, Rows.BATCH)),
    /**
     * Log-probabilities under the log-softmax of the logits in0 (n): out1 (k + 1 per row) = the
     * token's (in1, one INT32 per row), then the k most likely ids' (ties: lower id first), whose
     * ids go to out0 (k INT32 per row).
     */
    TOP_LOGPROBS(45, disjoint(in(0, "logits", Width.N)), disjoint(extra(in(1, "tokens", Width.ONE), Kind.INT32, Rows.BATCH)),
            extra(out(0, "topIds", Width.K), Kind.INT32, Rows.BATCH), out(1, "logprobs", Width.K1));

    /** Or'ed into the code: in0 holds the forward pass's saved output. */
    public static final int FROM_OUTPUT = 0x100;
    /** Or'ed into the code of {@link #CROSS_ENTROPY}: also write the gradient. */
    public static final int GRADIENT = 0x200;
    /** Or'ed into the code of the attention operations: the causal mask, row i sees j ≤ i + k. */
    public static final int CAUSAL = 0x400;
    /** Or'ed into the code of the attention operations: the bias is one row, added to every row. */
    public static final int BROADCAST = 0x800;

    /** The code of this operation in the C interface. */
    public final int code;
    private final Role[] roles;
    private final boolean pair;

    Op(int code, Role... roles) {
        this.code = code;
        this.roles = roles;
        this.pair = roles.length == 2 && plain(roles[0]) && roles[0].slot == 0 && plain(roles[1])
                && roles[1].slot == 4;
    }

    private static boolean plain(Role r) {
        return r.kind == Kind.DATA && r.rows == Rows.BATCH && !r.optional && r.width != Width.OWN && r.name != null
                && r.fromOutputName != null;
    }

    /**
     * True if the operation's operands are one data input (in0) and one data output (out0), both
     * of the call's rows and neither optional: the row operations, the Jacobian, the inversions,
     * the sigmoid. The route checks these without its loops over the roles.
     */
    public boolean pair() {
        return pair;
    }

    /** How many operands the operation declares. */
    public int roleCount() {
        return roles.length;
    }

    /** Operand {@code i}, inputs first (an index, not a list: the route allocates nothing). */
    public Role role(int i) {
        return roles[i];
    }

    /** True for the inversions, which divide by the inverse temperature. */
    public boolean inverts() {
        return this == INVERSE_ZERO_MEAN || this == INVERSE_PINNED || this == INVERSE_LOG_SUM_EXP;
    }

    /** True for the operations of the linear head. */
    public boolean linear() {
        return this == LINEAR_SCORES || this == LINEAR_SOFTMAX || this == LINEAR_LOG_SOFTMAX;
    }

    /**
     * True for the operations that take bfloat16 or float16 data (computed in float32, the
     * output in the input's half type or float32): the row operations, their masked and
     * attention forms, and the sampler's two.
     */
    public boolean takesHalf() {
        return switch (this) {
            case SOFTMAX, LOG_SOFTMAX, LOG_SUM_EXP, MASKED_SOFTMAX, MASKED_LOG_SOFTMAX, MASKED_LOG_SUM_EXP,
                    ATTENTION_SOFTMAX, ATTENTION_LOG_SOFTMAX, ATTENTION_LOG_SUM_EXP, SAMPLE, TOP_LOGPROBS -> true;
            default -> false;
        };
    }

    /** True for the attention operations. */
    public boolean attention() {
        return this == ATTENTION_SOFTMAX || this == ATTENTION_LOG_SOFTMAX || this == ATTENTION_LOG_SUM_EXP;
    }

    // ---------------------------------------------------------------- operands

    /** What an operand's element type must be. */
    public enum Kind {
        /**
         * The call's data type (FLOAT32 or FLOAT64), shared by every DATA operand; or, for an
         * op that {@linkplain #takesHalf takes half data}, a half type for the inputs with the
         * outputs in it or in FLOAT32.
         */
        DATA,
        /** One byte per entry (a mask). */
        BOOL,
        /** Labels. */
        INT32,
        /** Always float64 (weights of a product, class weights, the loss). */
        FLOAT64
    }

    /** How many rows an operand has. */
    public enum Rows {
        /** The call's rows. */
        BATCH,
        /** k rows (the weights of the head). */
        K,
        /** One row, the same for every row of the call. */
        ONE,
        /** The call's rows, or one row with {@link #BROADCAST}. */
        BATCH_OR_BROADCAST
    }

    /** Elements per row, in terms of the call's n and k. */
    public enum Width {
        N, ONE, N_N, N_K, K_N, K,
        /** k + 1. */
        K1,
        /**
         * The operand's own width: a row made inside the library (the sampler's), whose content
         * says how long it is. Only for operands no user supplies.
         */
        OWN;

        /**
         * The width for these sizes; n·n and n·k in long (a Jacobian row may exceed an int). For
         * {@link #OWN}, −1: the route takes the operand's own.
         */
        public long of(long n, long k) {
            return switch (this) {
                case N -> n;
                case ONE -> 1;
                case N_N -> n * n;
                case N_K, K_N -> n * k;
                case K -> k;
                case K1 -> k + 1;
                case OWN -> -1;
            };
        }
    }

    /**
     * One operand of an operation.
     *
     * @param slot 0..3 for inputs (in0..in3), 4..5 for outputs (out0, out1)
     * @param name its name in messages
     * @param fromOutputName its name when the call has {@link #FROM_OUTPUT}
     * @param width elements per row
     * @param kind its element type
     * @param rows how many rows it has
     * @param optional whether it may be absent (null)
     * @param mayAlias for an input: whether an output may be exactly the same region (in place)
     */
    public record Role(int slot, String name, String fromOutputName, Width width, Kind kind, Rows rows,
            boolean optional, boolean mayAlias) {
        public boolean output() {
            return slot >= 4;
        }

        /** The name in a call with or without {@link #FROM_OUTPUT}. */
        public String name(boolean fromOutput) {
            return fromOutput ? fromOutputName : name;
        }

        /** False if the operand does not take part in a call with or without FROM_OUTPUT. */
        public boolean present(boolean fromOutput) {
            return name(fromOutput) != null;
        }
    }

    private static Role in(int slot, String name, Width width) {
        return in(slot, name, name, width);
    }

    private static Role in(int slot, String name, String fromOutputName, Width width) {
        return new Role(slot, name, fromOutputName, width, Kind.DATA, Rows.BATCH, false, true);
    }

    private static Role out(int slot, String name, Width width) {
        return new Role(4 + slot, name, name, width, Kind.DATA, Rows.BATCH, false, false);
    }

    private static Role mask() {
        return disjoint(extra(in(1, "mask", Width.N), Kind.BOOL, Rows.BATCH));
    }

    private static Role extra(Role r, Kind kind, Rows rows) {
        return new Role(r.slot, r.name, r.fromOutputName, r.width, kind, rows, r.optional, r.mayAlias);
    }

    private static Role optional(Role r) {
        return new Role(r.slot, r.name, r.fromOutputName, r.width, r.kind, r.rows, true, r.mayAlias);
    }

    /** An input that no output may overlap, not even exactly. */
    private static Role disjoint(Role r) {
        return new Role(r.slot, r.name, r.fromOutputName, r.width, r.kind, r.rows, r.optional, false);
    }

    /** The attention operations: s (in place allowed), bias (optional), out of the given width. */
    private static Role[] attention(Width out) {
        return new Role[] {in(0, "scores", Width.N),
                disjoint(optional(extra(in(1, "bias", Width.N), Kind.DATA, Rows.BATCH_OR_BROADCAST))),
                out(0, "y", out)};
    }

    /** The operands of the linear head: x, W (k rows of n), b (one row of k, optional), y. */
    private static Role[] head() {
        return new Role[] {disjoint(in(0, "x", Width.N)), disjoint(extra(in(1, "weights", Width.N), Kind.DATA, Rows.K)),
                disjoint(optional(extra(in(2, "bias", Width.K), Kind.DATA, Rows.ONE))), out(0, "y", Width.K)};
    }
}
