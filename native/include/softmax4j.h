/*
 * softmax4j core: the plain C interface of the native library.
 *
 * Everything here works on row-major batches: `rows` rows of `n` elements, row r of x starting at
 * x + r * ldx. The caller (the Java layer) has already validated every size, stride and extent;
 * these functions do no checking of their own, because a second, weaker copy of the rules would
 * only drift from the first.
 *
 * The scale `a` is the inverse temperature: every operation computes on a * x. It is given in
 * double and rounded once to the element type (saturating at its largest finite value).
 */
#ifndef SOFTMAX4J_H
#define SOFTMAX4J_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Threads for the row-parallel driver and the GEMMs of the head (SM4J_LINEAR_* and
 * SM4J_LINEAR_GRADIENT). n > 0 pins the count: every large call then uses n threads. n < 1
 * restores the default: the adaptive policy, up to OpenMP's maximum at load (the CPUs this
 * process may use), which gives a call more than its own thread only while no other call holds
 * the cores and teams are not losing to serial work (a busy machine); or, if OMP_NUM_THREADS was
 * set, that count, pinned. Results do not depend on how many threads the policy grants.
 * sm4j_get_num_threads returns the pinned count, or the adaptive policy's maximum.
 */
void sm4j_set_num_threads(int32_t n);
int32_t sm4j_get_num_threads(void);
/* One line describing the thread policy in force and how idle OpenMP threads wait. */
const char *sm4j_thread_policy(void);
/*
 * The thread policy's state, for tests and diagnostics: fills up to len of {calls in flight,
 * threads they hold, Java threads owning an OpenMP pool, teams granted so far, backoffs so far
 * (teams stopped because they were losing), ns left of the current backoff} and returns how many
 * values there are.
 */
int32_t sm4j_thread_stats(int64_t *out, int32_t len);

/*
 * Name of the kernel set in use: "avx512", "avx2" or "generic" on x86-64, "neon" or "generic" on
 * AArch64. At load it is the best set this CPU runs, or the one named by the environment variable
 * SOFTMAX4J_KERNELS if the CPU runs it.
 */
const char *sm4j_kernel_name(void);
/*
 * Makes the named kernel set ("generic", "avx2", "avx512", "neon") the one in use, for every thread;
 * meant for tests and comparisons. Returns 0, or -1 (and changes nothing) if the name is unknown
 * or this CPU lacks the instructions. Calls running at the same time may use either set.
 */
int32_t sm4j_force_kernels(const char *name);
/*
 * Space-separated CPU features the core looked for and found, e.g. "avx2 fma avx512f" or
 * "asimd asimddp".
 */
const char *sm4j_cpu_features(void);
/* Version of the core, "MAJOR.MINOR.PATCH". */
const char *sm4j_version(void);
/* Threads of OpenBLAS's own pool, and its build configuration (e.g. "OpenBLAS 0.3.31 ..."). */
int32_t sm4j_blas_num_threads(void);
const char *sm4j_blas_config(void);
/* The OpenMP implementation's version (the _OPENMP date, e.g. 201511), 0 without OpenMP. */
int32_t sm4j_openmp_version(void);

/* ---- The one entry point: sm4j_run ---- */

/* Element types, one per operand. Values are part of the ABI with the Java bridge. */
enum sm4j_dtype {
    SM4J_NONE = 0,    /* no operand */
    SM4J_F32 = 1,     /* float */
    SM4J_F64 = 2,     /* double */
    SM4J_BF16 = 3,    /* bfloat16: uint16_t bit patterns, a float's upper half */
    SM4J_F16 = 4,     /* IEEE binary16 (float16): uint16_t bit patterns */
    SM4J_BOOL = 5,    /* one byte per entry, 0 = false (masks) */
    SM4J_I32 = 6      /* int32_t (labels) */
};

/*
 * The operations. Values are part of the ABI with the Java bridge. Each operand is a batch of
 * rows, row r of in[i] starting at in[i].data + r * in[i].ld elements; its width per row (and
 * where it differs, its number of rows) is listed with the operation. y denotes S(a x)
 * throughout, the softmax at inverse temperature `a`. The data operands (all but masks, labels
 * and the FLOAT64 extras noted) share one dtype, SM4J_F32 or SM4J_F64.
 *
 * Half precision: SM4J_SOFTMAX, SM4J_LOG_SOFTMAX, SM4J_LOGSUMEXP, SM4J_MASKED_*,
 * SM4J_ATTENTION_*, SM4J_SAMPLE and SM4J_TOP_LOGPROBS also take in[0] (and the attention bias) in
 * SM4J_BF16 or SM4J_F16, with the data output in that same type or in SM4J_F32. The inputs are
 * widened to float exactly, the operation is the SM4J_F32 one, and a half output is its float
 * result rounded to nearest even (NaN stays NaN; float16 keeps subnormals, bfloat16 flushes a
 * float subnormal to +-0 as vcvtneps2bf16 does). An output may be its input in place only when
 * both have the same dtype.
 */
enum sm4j_op {
    /* out[0] (n) = S(a x), in[0] = x (n) */
    SM4J_SOFTMAX = 0,
    /* out[0] (n) = a x - LSE(a x) */
    SM4J_LOG_SOFTMAX = 1,
    /* out[0] (1) = LSE(a x) = log sum_j exp(a x_j): one value per row */
    SM4J_LOGSUMEXP = 2,
    /* out[0] (n) = x (a unused): the same rows moved through the same route (driver, threads)
       with no arithmetic; the benchmarks' baseline, against which the operations are read */
    SM4J_COPY = 3,
    /* out[0] (n*n per row, row-major: J_ij at i*n + j) = a (diag(y) - y y^T), with the diagonal
       evaluated as a y_i sum_{j != i} y_j. in[0] = x (n), or y with SM4J_FROM_OUTPUT. */
    SM4J_JACOBIAN = 16,
    /* out[0] (n) = J v = a y . (v - <y, v>); in[0] = x (or y), in[1] = v (n). J is symmetric:
       also the VJP. */
    SM4J_SOFTMAX_JVP = 17,
    /* out[0] (n) = a (g - y sum_i g_i), the VJP of log-softmax; in[0] = x (or the saved
       log-softmax output with SM4J_FROM_OUTPUT), in[1] = g (n). */
    SM4J_LOG_SOFTMAX_VJP = 18,
    /* out[0] (n) = a g_r y, the VJP of LSE(a x); in[0] = x, in[1] = g (1). With
       SM4J_FROM_OUTPUT: in[1] = the saved LSE (1), in[2] = g (1), out = a g_r exp(a x - LSE_r). */
    SM4J_LOGSUMEXP_VJP = 19,
    /* out[0] (n*k per row) = J V for V = in[1] (n*k per row, row-major); in[0] = x (or y). */
    SM4J_JACOBIAN_TIMES = 20,
    /* out[0] (n) = logits x with S(a x) = p / sum p, in[0] = p (n), in the gauge
       mean(a x) = 0 ... */
    SM4J_INVERSE_ZERO_MEAN = 21,
    /* ... or x_k = 0 with k the pinned index ... */
    SM4J_INVERSE_PINNED = 22,
    /* ... or LSE(a x) = param. */
    SM4J_INVERSE_LOGSUMEXP = 23,
    /* out[0] (n) = the normalised product of p_i^w_i over the k factors of in[0] (k*n per row,
       factor i at i*n); in[1] = the k weights w (one row, SM4J_F64). */
    SM4J_COMBINE = 24,
    /* out[0] (n) = 1 / (1 + exp(-a x)), element-wise; in[0] = x (n). */
    SM4J_SIGMOID = 25,
    /* The row operations on the entries whose mask byte is non-zero (in[1]: n bytes per row,
       SM4J_BOOL); masked entries give 0 (softmax) or -inf (log-softmax). */
    SM4J_MASKED_SOFTMAX = 26,
    SM4J_MASKED_LOG_SOFTMAX = 27,
    SM4J_MASKED_LOGSUMEXP = 28,
    /*
     * The linear head: out[0] = op(a (x W^T + 1 b^T)) with x = in[0] (rows x n), W = in[1]
     * (k rows of n), b = in[2] (one row of k; data NULL: no bias), out[0] rows x k; op is the
     * scores alone, softmax or log-softmax (a unused for the scores). The GEMM is split over
     * OpenMP threads by blocks of out[0], each block computed by a single-threaded OpenBLAS call
     * and then (blocks of rows) given its bias and row operation while in cache. OpenBLAS's
     * thread count is held at 1 for the process during the call and restored after it. out[0]
     * must not overlap x, W or b.
     */
    SM4J_LINEAR_SCORES = 32,
    SM4J_LINEAR_SOFTMAX = 33,
    SM4J_LINEAR_LOG_SOFTMAX = 34,
    /*
     * The weighted cross-entropy of softmax regression against integer labels:
     *
     *   L = a · Σ_r s_r · CE_r,   CE_r = −Σ_j t_rj ℓ_rj,
     *   t_rj = (1 − param)·[j = labels[r]] + param / k,   s_r = cw[labels[r]] (1 without cw)
     *
     * out[0] = ℓ (rows x k log-probabilities, read), in[0] = labels (one SM4J_I32 per row, each
     * in [0, k)), in[1] = cw (one row of k, SM4J_F64; NULL: unit weights), out[1] =
     * L (one SM4J_F64). The caller passes a = 1 / Σ_r s_r for the weighted mean. With
     * SM4J_GRADIENT, out[0] is overwritten with G = a · s_r · (exp(ℓ_r) − t_r), the gradient of
     * L with respect to the scores. The sum is taken in fixed chunks, in order: the same result
     * for the same thread count.
     */
    SM4J_CROSS_ENTROPY = 35,
    /* out[0] = dW = G^T x (k rows of n) and out[1] = db = the column sums of G (one row of k),
       for G = in[0] (rows x k) and x = in[1] (rows x n): the gradient of a linear head. */
    SM4J_LINEAR_GRADIENT = 36,
    /*
     * The attention softmax: out[0] = op(a s + bias) over the columns each row sees, in[0] = s
     * (n), in[1] = bias (n; NULL: none; with SM4J_BROADCAST one row for every row), op the
     * softmax, log-softmax (n) or LSE (1). Row i sees every column, or with SM4J_CAUSAL the
     * columns j <= i + k (k: positions already in the KV cache, any value), and with param = W
     * > 0 also only j > i + k - W. Masked entries are not read and are written exactly 0
     * (softmax) or -inf (log-softmax); a row that sees nothing is all 0 / -inf, LSE -inf.
     * out[0] may be s itself (in place).
     */
    SM4J_ATTENTION_SOFTMAX = 40,
    SM4J_ATTENTION_LOG_SOFTMAX = 41,
    SM4J_ATTENTION_LOGSUMEXP = 42,
    /*
     * Token sampling (docs/sampling.md): out[0] (one SM4J_I32 per row) = the token drawn from
     * row r of in[0] (n logits) through penalties -> logit bias -> temperature -> top-k -> top-p
     * -> min-p -> draw, with the random bits of Philox4x32-10 keyed on (seed, r, step), or -1
     * for a row holding NaN or +inf after the penalties and the bias, all -inf, or empty.
     * in[1] = history (k SM4J_I32 ids per row, -1 padding; NULL: none), in[2] = the sampler
     * (one SM4J_F64 row laid out as enum sm4j_sampler_spec), param = step (an integer in
     * [0, 2^53)). The token depends on nothing else: not the thread count, the kernel set or
     * the platform.
     */
    SM4J_SAMPLE = 44,
    /*
     * Log-probabilities under the log-softmax of the raw logits in[0] (n): out[1] (k + 1 per
     * row) = the log-probability of the token in[1] (one SM4J_I32 per row; NaN for -1 or a row
     * whose LSE is not finite), then those of the k most likely ids (ties: lower id first),
     * whose ids go to out[0] (k SM4J_I32 per row; -1 and NaN for a row whose LSE is not
     * finite). 1 <= k <= n.
     */
    SM4J_TOP_LOGPROBS = 45
};

/* The sampler's row (in[2] of SM4J_SAMPLE), every entry a double. */
enum sm4j_sampler_spec {
    SM4J_SPEC_TEMPERATURE = 0,        /* >= 0 (+inf allowed); 0 is greedy */
    SM4J_SPEC_TOP_K = 1,              /* an integer >= 0; 0 is off */
    SM4J_SPEC_TOP_P = 2,              /* (0, 1]; 1 is off */
    SM4J_SPEC_MIN_P = 3,              /* [0, 1]; 0 is off */
    SM4J_SPEC_REPETITION_PENALTY = 4, /* finite > 0; 1 is off */
    SM4J_SPEC_PRESENCE_PENALTY = 5,   /* finite; 0 is off */
    SM4J_SPEC_FREQUENCY_PENALTY = 6,  /* finite; 0 is off */
    SM4J_SPEC_SEED_LOW = 7,           /* the seed's low 32 bits, as an integer */
    SM4J_SPEC_SEED_HIGH = 8,          /* its high 32 bits */
    SM4J_SPEC_BIAS_COUNT = 9,         /* b logit-bias pairs follow */
    SM4J_SPEC_BIAS = 10               /* (id, value) b times: ids ascending, distinct, < n;
                                         values not NaN or +inf */
};

/* Or'ed into an op. */
enum sm4j_op_flag {
    /* in[0] is the forward pass's saved output rather than the logits */
    SM4J_FROM_OUTPUT = 0x100,
    /* SM4J_CROSS_ENTROPY: also write the gradient */
    SM4J_GRADIENT = 0x200,
    /* SM4J_ATTENTION_*: the causal mask (row i sees j <= i + k) */
    SM4J_CAUSAL = 0x400,
    /* SM4J_ATTENTION_*: in[1] is one row, added to every row */
    SM4J_BROADCAST = 0x800
};

/* One operand: element (0, 0) and the distance between rows, in elements of its dtype. */
typedef struct sm4j_operand {
    void *data;      /* NULL: the operation has no such operand */
    int64_t ld;
    int32_t dtype;   /* enum sm4j_dtype */
} sm4j_operand;

/* One call: what to compute, its sizes and scalars, and where each operand is. */
typedef struct sm4j_call {
    int32_t op;      /* enum sm4j_op, or'ed with enum sm4j_op_flag */
    int64_t rows;    /* rows of the batch */
    int64_t n;       /* elements per row of the input (features d for the head) */
    int64_t k;       /* tangent columns, factors, the pinned index, or classes */
    double a;        /* inverse temperature (the loss scale for SM4J_CROSS_ENTROPY) */
    double param;    /* the inverse's LSE gauge value; the label smoothing */
    sm4j_operand in[4];
    sm4j_operand out[2];
} sm4j_call;

/*
 * Runs one call. out[0] may be the same region as an input of the same width (in place) where
 * the operation allows it; any other overlap is undefined. The caller has validated every size,
 * stride, extent, dtype and overlap; this function trusts it. No allocation beyond per-thread
 * scratch rows, reused across calls.
 */
void sm4j_run(const sm4j_call *call);

#ifdef __cplusplus
}
#endif

#endif /* SOFTMAX4J_H */
