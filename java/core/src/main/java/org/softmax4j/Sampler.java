package org.softmax4j;

import java.util.Map;
import java.util.TreeMap;

import org.softmax4j.backend.Checks;
import org.softmax4j.backend.Kernel;
import org.softmax4j.backend.Kernels;
import org.softmax4j.backend.Op;
import org.softmax4j.backend.Route;
import org.softmax4j.backend.Sampling;

/**
 * A token sampler for language-model inference: built once from its parameters, immutable and
 * safe to share between threads, and applied to batches of logit rows, one token per row, on a
 * {@link Softmax} backend ({@link Softmax#get()} unless {@link #on(Softmax)} says otherwise).
 * It also reports the log-probabilities that go with the tokens ({@link #topLogprobs}).
 *
 * <h2>What a row goes through</h2>
 * Every stage is optional; they always run in this order (the exact arithmetic is in
 * {@code docs/sampling.md}):
 * <ol>
 *   <li><b>Penalties</b>, over the row's history (earlier tokens; counts c_i): for each distinct
 *       token in it, the repetition penalty R: l_i / R if l_i &gt; 0, else l_i · R; then the
 *       frequency and presence penalties F and A (the OpenAI rule):
 *       l_i − F·c_i − A·[c_i &gt; 0].
 *   <li><b>Logit bias</b>: l_i + b_i for the given (token, b) pairs; b = −∞ bans a token.
 *   <li><b>Temperature</b> T: z_i = l_i / T (computed as l_i · (1/T), 1/T rounded once).
 *       T = 0 is greedy: the arg-max of l, ties to the lowest id, and the stages below do not
 *       apply (none of them can remove the arg-max).
 *   <li><b>Top-k</b> K: keep every token with l_i ≥ the K-th largest l (ties at the K-th all
 *       kept). Since T &gt; 0 does not change the order, this is top-k on z without the ties
 *       that rounding z could create.
 *   <li><b>Top-p</b> P: over the distribution p ∝ exp(z) of the kept tokens, keep every token
 *       with p_i ≥ t, where t is the probability of the token at which the descending cumulative
 *       sum first reaches P (so ties at the boundary are all kept).
 *   <li><b>Min-p</b> M: keep the tokens with p_i ≥ M · p_max.
 *   <li><b>Draw</b> one token from the kept ones, renormalised.
 * </ol>
 * The probabilities are integers: token i weighs W_i = trunc(exp(z_i − z_max) · 2^s), with
 * s = min(51, 63 − bit length of the number of tokens weighed) (so 46 for a vocabulary of
 * 128,256 without top-k), and every sum, comparison and the draw are exact on them. Tokens
 * more than s·ln 2 (31.9 for 128,256) below the largest z therefore have probability 0; their
 * total mass is below n · 2^−s (1.8e-9 for 128,256). exp is a documented sequence of IEEE
 * operations, within 1.1 ulp.
 *
 * <h2>Random numbers</h2>
 * Row r of a call at step {@code step} draws from Philox4x32-10 keyed on (seed, r, step), with
 * 64 random bits, so the token depends only on the logits, the parameters, the seed, the row's
 * index in the call and the step: <b>the native and Java backends give the same token, at any
 * thread count and on any platform</b>, and repeating a call repeats its tokens. Pass a new
 * step for each generated token.
 *
 * <h2>Special rows</h2>
 * A row that holds NaN or +∞ after the penalties and the bias, or is all −∞, or is empty, gives
 * token −1; a batch never throws for its rows' values, and no token is ever outside [0, n).
 *
 * <h2>Errors</h2>
 * Parameters are checked when they are set, with an {@link IllegalArgumentException} naming
 * them: a temperature that is NaN or &lt; 0, K &lt; 0, P outside (0, 1], M outside [0, 1],
 * R not finite and &gt; 0, A or F not finite, a bias id outside the vocabulary or given twice, a
 * bias that is NaN or +∞.
 */
public final class Sampler {
    private final int vocabularySize;
    private final Sampling.Params params;
    /** The parameters as the kernels take them: one FLOAT64 row, made once. */
    private final Batch spec;
    private final Softmax backend;
    private final Kernel kernel;

    private Sampler(int vocabularySize, Sampling.Params params, Softmax backend) {
        this.vocabularySize = vocabularySize;
        this.params = params;
        double[] row = params.spec();
        this.spec = Batch.of(row, 1, row.length);
        this.backend = backend;
        this.kernel = Kernels.of(backend.backend());
    }

    /**
     * A builder for rows of {@code vocabularySize} logits, with every stage off: temperature 1,
     * no top-k, top-p or min-p, no penalties, no bias, seed 0.
     *
     * @param vocabularySize V, the logits per row, at least 1
     * @return a new builder
     * @throws IllegalArgumentException if vocabularySize &lt; 1
     */
    public static Builder builder(int vocabularySize) {
        if (vocabularySize < 1) {
            throw new IllegalArgumentException("vocabularySize must be >= 1, got " + vocabularySize);
        }
        return new Builder(vocabularySize);
    }

    /**
     * Draws one token per row with no history (the penalties have nothing to act on). As
     * {@link #sample(Batch, Batch, long, Batch)} with a null history.
     *
     * @param logits rows × V logits, FLOAT32, FLOAT64, BFLOAT16 or FLOAT16
     * @param step the step, in [0, 2^53)
     * @param tokens output, rows × 1, INT32
     */
    public void sample(Batch logits, long step, Batch tokens) {
        sample(logits, null, step, tokens);
    }

    /**
     * Draws one token per row of logits, through the stages and with the random numbers
     * described in the class documentation: {@code tokens[r]} is row r's token, or −1 for a row
     * holding NaN or +∞ after the penalties and the bias, or all −∞. Row r draws from the stream
     * (seed, r, step), so the tokens are the same on every backend and thread count.
     *
     * @param logits rows × V logits, FLOAT32, FLOAT64, BFLOAT16 or FLOAT16 (sampled as the float32
     *     values they widen to), V this sampler's vocabulary size
     * @param history the tokens each row has produced so far, for the penalties: null for none, or
     *     rows × h INT32 ids in [0, V), padded with −1
     * @param step the step, in [0, 2^53): a new one for each generated token
     * @param tokens output, rows × 1, INT32
     * @throws NullPointerException if logits or tokens is null
     * @throws IllegalArgumentException for logits of another width, a history id out of range, a
     *     step out of range, or an operand of the wrong shape or type
     */
    public void sample(Batch logits, Batch history, long step, Batch tokens) {
        Checks.notNull(logits, "logits");
        Checks.vocabulary("logits", logits, vocabularySize);
        Checks.step(step);
        if (history != null) Checks.tokenIds("history", history, logits.cols());
        Route.run(kernel, Op.SAMPLE, 0, logits.rows(), logits.cols(), history == null ? 0 : history.cols(), 0,
                step, logits, history, spec, null, tokens, null);
    }

    /**
     * Log-probabilities as OpenAI-style APIs report them, under the log-softmax of the raw logits
     * (before this sampler's penalties, temperature and filters, so the same for every sampler):
     * for each row, {@code logprobs[r][0]} = the log-probability x_t − LSE(x) of the row's token
     * t, and for i ≥ 1 that of {@code topIds[r][i − 1]}, the i-th most likely id (ties: the lower
     * id first). A token −1, or a row whose LSE is not finite (NaN, +∞, all −∞), gives NaN, and
     * such a row's top ids are −1.
     *
     * @param logits rows × V logits, FLOAT32, FLOAT64, BFLOAT16 or FLOAT16 (sampled as the float32
     *     values they widen to), V this sampler's vocabulary size
     * @param tokens rows × 1 INT32 token ids in [0, V) or −1 (what {@link #sample} wrote)
     * @param topIds output, rows × k INT32, 1 ≤ k ≤ V
     * @param logprobs output, rows × (k + 1), logits' element type
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException for logits of another width, k outside [1, V], a token out
     *     of range, or an operand of the wrong shape or type
     */
    public void topLogprobs(Batch logits, Batch tokens, Batch topIds, Batch logprobs) {
        Checks.notNull(logits, "logits");
        Checks.notNull(topIds, "topIds");
        Checks.vocabulary("logits", logits, vocabularySize);
        Checks.tokenIds("tokens", tokens, logits.cols());
        Checks.positive("topIds cols", topIds.cols());
        if (topIds.cols() > logits.cols()) {
            throw new IllegalArgumentException("topIds cols must be <= n (" + logits.cols() + "), got " + topIds.cols());
        }
        Route.run(kernel, Op.TOP_LOGPROBS, 0, logits.rows(), logits.cols(), topIds.cols(), 0, 0, logits, tokens,
                null, null, topIds, logprobs);
    }

    /**
     * This sampler on another backend.
     *
     * @param backend the backend that computes, e.g. {@link Softmax#java()}
     * @return a sampler with the same parameters on {@code backend}
     * @throws NullPointerException if backend is null
     */
    public Sampler on(Softmax backend) {
        return new Sampler(vocabularySize, params, Checks.notNull(backend, "backend"));
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
     * The number of logits per row this sampler takes.
     *
     * @return V
     */
    public int vocabularySize() {
        return vocabularySize;
    }

    /**
     * The temperature.
     *
     * @return T (0: greedy)
     */
    public double temperature() {
        return params.temperature();
    }

    /**
     * Top-k.
     *
     * @return K, or 0 if top-k is off
     */
    public int topK() {
        return params.topK();
    }

    /**
     * Top-p.
     *
     * @return P, or 1 if top-p is off
     */
    public double topP() {
        return params.topP();
    }

    /**
     * Min-p.
     *
     * @return M, or 0 if min-p is off
     */
    public double minP() {
        return params.minP();
    }

    /**
     * The repetition penalty.
     *
     * @return R (1: off)
     */
    public double repetitionPenalty() {
        return params.repetition();
    }

    /**
     * The presence penalty.
     *
     * @return A (0: off)
     */
    public double presencePenalty() {
        return params.presence();
    }

    /**
     * The frequency penalty.
     *
     * @return F (0: off)
     */
    public double frequencyPenalty() {
        return params.frequency();
    }

    /**
     * The logit bias.
     *
     * @return the added values by token id (a copy)
     */
    public Map<Integer, Double> logitBias() {
        Map<Integer, Double> m = new TreeMap<>();
        for (int i = 0; i < params.biasIds().length; i++) m.put(params.biasIds()[i], params.biasValues()[i]);
        return m;
    }

    /**
     * The seed of the random numbers.
     *
     * @return the seed
     */
    public long seed() {
        return params.seed();
    }

    /**
     * This sampler with another seed.
     *
     * @param seed the new seed
     * @return a sampler with the same parameters and {@code seed}
     */
    public Sampler withSeed(long seed) {
        Sampling.Params p = params;
        return new Sampler(vocabularySize, new Sampling.Params(p.temperature(), p.topK(), p.topP(),
                p.minP(), p.repetition(), p.presence(), p.frequency(), p.biasIds(), p.biasValues(), seed), backend);
    }

    @Override
    public String toString() {
        return "Sampler[vocabulary=" + vocabularySize + ", temperature=" + temperature() + ", topK="
                + topK() + ", topP=" + topP() + ", minP=" + minP() + ", repetition="
                + repetitionPenalty() + ", presence=" + presencePenalty() + ", frequency="
                + frequencyPenalty() + ", bias=" + params.biasIds().length + " tokens, seed=" + seed() + ", "
                + backend.backend() + "]";
    }

    /** Sets the parameters, checking each as it is set. */
    public static final class Builder {
        private final int vocabularySize;
        private double temperature = 1;
        private int topK;
        private double topP = 1;
        private double minP;
        private double repetition = 1;
        private double presence;
        private double frequency;
        private final TreeMap<Integer, Double> bias = new TreeMap<>();
        private long seed;

        private Builder(int vocabularySize) {
            this.vocabularySize = vocabularySize;
        }

        /**
         * T ≥ 0: the logits are divided by T; 0 is greedy (the arg-max), +∞ is uniform over the
         * tokens the filters keep.
         *
         * @param t the temperature
         * @return this builder
         * @throws IllegalArgumentException if t is NaN or &lt; 0
         */
        public Builder temperature(double t) {
            if (!(t >= 0)) throw new IllegalArgumentException("temperature must be >= 0, got " + t);
            temperature = t;
            return this;
        }

        /**
         * Greedy decoding: temperature 0.
         *
         * @return this builder
         */
        public Builder greedy() {
            return temperature(0);
        }

        /**
         * K ≥ 0: keep the K largest logits and their ties; 0 (or ≥ the vocabulary) is off.
         *
         * @param k K
         * @return this builder
         * @throws IllegalArgumentException if k &lt; 0
         */
        public Builder topK(int k) {
            if (k < 0) throw new IllegalArgumentException("topK must be >= 0, got " + k);
            topK = k;
            return this;
        }

        /**
         * P in (0, 1]: nucleus sampling; 1 is off.
         *
         * @param p P
         * @return this builder
         * @throws IllegalArgumentException if p is outside (0, 1]
         */
        public Builder topP(double p) {
            if (!(p > 0 && p <= 1)) throw new IllegalArgumentException("topP must be in (0, 1], got " + p);
            topP = p;
            return this;
        }

        /**
         * M in [0, 1]: keep tokens at least M times as likely as the most likely; 0 is off.
         *
         * @param m M
         * @return this builder
         * @throws IllegalArgumentException if m is outside [0, 1]
         */
        public Builder minP(double m) {
            if (!(m >= 0 && m <= 1)) throw new IllegalArgumentException("minP must be in [0, 1], got " + m);
            minP = m;
            return this;
        }

        /**
         * R &gt; 0, finite: divides positive logits of tokens in the history, multiplies the
         * others; 1 is off.
         *
         * @param r R
         * @return this builder
         * @throws IllegalArgumentException if r is not finite and &gt; 0
         */
        public Builder repetitionPenalty(double r) {
            if (!(r > 0) || Double.isInfinite(r)) {
                throw new IllegalArgumentException("repetitionPenalty must be finite and > 0, got " + r);
            }
            repetition = r;
            return this;
        }

        /**
         * A, finite: subtracted once from the logit of every token in the history; 0 is off.
         *
         * @param a A
         * @return this builder
         * @throws IllegalArgumentException if a is not finite
         */
        public Builder presencePenalty(double a) {
            if (!Double.isFinite(a)) throw new IllegalArgumentException("presencePenalty must be finite, got " + a);
            presence = a;
            return this;
        }

        /**
         * F, finite: subtracted from a token's logit once per occurrence in the history; 0 is off.
         *
         * @param f F
         * @return this builder
         * @throws IllegalArgumentException if f is not finite
         */
        public Builder frequencyPenalty(double f) {
            if (!Double.isFinite(f)) throw new IllegalArgumentException("frequencyPenalty must be finite, got " + f);
            frequency = f;
            return this;
        }

        /**
         * Adds {@code value} to the logit of token {@code id} (−∞ bans it). One value per token.
         *
         * @param id the token id
         * @param value the value added to its logit
         * @return this builder
         * @throws IllegalArgumentException if id is outside the vocabulary or already has a bias,
         *     or value is NaN or +∞
         */
        public Builder logitBias(int id, double value) {
            if (id < 0 || id >= vocabularySize) {
                throw new IllegalArgumentException("logitBias id must be in [0, " + vocabularySize + "), got " + id);
            }
            if (Double.isNaN(value) || value == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("logitBias value for id " + id + " must not be NaN or +Infinity, got " + value);
            }
            if (bias.containsKey(id)) throw new IllegalArgumentException("logitBias id " + id + " is given twice");
            bias.put(id, value);
            return this;
        }

        /**
         * {@link #logitBias(int, double)} for each entry.
         *
         * @param values values by token id
         * @return this builder
         */
        public Builder logitBias(Map<Integer, Double> values) {
            values.forEach((id, v) -> logitBias(id, v));
            return this;
        }

        /**
         * The seed of the random numbers (default 0).
         *
         * @param s the seed
         * @return this builder
         */
        public Builder seed(long s) {
            seed = s;
            return this;
        }

        /**
         * The sampler, on {@link Softmax#get()} (another backend: {@link Sampler#on(Softmax)}).
         *
         * @return an immutable sampler with these parameters
         */
        public Sampler build() {
            int[] ids = bias.keySet().stream().mapToInt(Integer::intValue).toArray();
            double[] values = bias.values().stream().mapToDouble(Double::doubleValue).toArray();
            return new Sampler(vocabularySize, new Sampling.Params(temperature, topK, topP, minP,
                    repetition, presence, frequency, ids, values, seed), Softmax.get());
        }
    }
}
