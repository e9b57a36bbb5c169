package org.softmax4j.backend;

import java.util.Arrays;

import org.softmax4j.Batch;
import org.softmax4j.ElementType;
import org.softmax4j.backend.SampleWeights.Precision;

/**
 * The Java backend's sampler: one row of logits to one token, by the specification of
 * {@code docs/sampling.md}, with the same arithmetic as the native core
 * ({@code native/src/sampler/sampler.cpp}), so that both draw the same token. It copies the row
 * and weighs every token (it is the reference and the fallback, not the fast path), but selects
 * rather than sorts: top-k's K-th largest and top-p's threshold by quickselect, expected O(V).
 * Each thread samples in its own {@link Workspace}: nothing is allocated per row. Internal.
 */
public final class Sampling {
    private Sampling() {}

    /**
     * The sampler's parameters, validated by {@link org.softmax4j.Sampler}: temperature ≥ 0 (0 is
     * greedy, +∞ allowed), topK ≥ 0 (0 off), topP in (0, 1] (1 off), minP in [0, 1] (0 off),
     * repetition &gt; 0 finite (1 off), presence and frequency finite (0 off), bias ids ascending,
     * distinct and below the vocabulary, bias values not NaN or +∞.
     */
    public record Params(double temperature, int topK, double topP, double minP, double repetition,
            double presence, double frequency, int[] biasIds, double[] biasValues, long seed) {

        /**
         * The sampler's row as the C core takes it ({@code enum sm4j_sampler_spec}): the seven
         * scalars, the seed in two 32-bit halves, the bias count, then (id, value) pairs. Every
         * entry is exact in a double.
         */
        public double[] spec() {
            int b = biasIds.length;
            double[] s = new double[SPEC_BIAS + 2 * b];
            s[0] = temperature;
            s[1] = topK;
            s[2] = topP;
            s[3] = minP;
            s[4] = repetition;
            s[5] = presence;
            s[6] = frequency;
            s[7] = seed & 0xFFFFFFFFL;
            s[8] = seed >>> 32;
            s[9] = b;
            for (int i = 0; i < b; i++) {
                s[SPEC_BIAS + 2 * i] = biasIds[i];
                s[SPEC_BIAS + 2 * i + 1] = biasValues[i];
            }
            return s;
        }

        /** The parameters of a sampler's row ({@link #spec}). */
        static Params of(double[] s) {
            int b = (int) s[9];
            int[] ids = new int[b];
            double[] values = new double[b];
            for (int i = 0; i < b; i++) {
                ids[i] = (int) s[SPEC_BIAS + 2 * i];
                values[i] = s[SPEC_BIAS + 2 * i + 1];
            }
            long seed = (long) s[7] | (long) s[8] << 32;
            return new Params(s[0], (int) s[1], s[2], s[3], s[4], s[5], s[6], ids, values, seed);
        }

        boolean penalised() {
            return repetition != 1 || presence != 0 || frequency != 0;
        }
    }

    /** Where the bias pairs start in the sampler's row ({@code SM4J_SPEC_BIAS}). */
    static final int SPEC_BIAS = 10;

    /**
     * The arrays one row is sampled in, each grown when a row first needs it (greedy needs only
     * the row's copy; the selections' scratch only with top-k or top-p) and reused for every
     * later row. Not thread-safe: {@link #sample} uses the calling thread's own ({@link #LOCAL}),
     * as the native core keeps one per thread, so once a thread has sampled its largest row the
     * Java backend allocates nothing that grows with the row, per row or per call (a 128k row
     * would otherwise cost megabytes of garbage per token); a call still makes its few small
     * arrays (the sampler's spec, the history's h ids).
     */
    public static final class Workspace {
        double[] row = new double[0];
        double[] logits = new double[0];
        double[] select = new double[0];
        int[] kept = new int[0];
        long[] weights = new long[0];
        long[] threshold = new long[0];
        int[] history = new int[0];
        int[] order = new int[0];

        double[] row(int n) {
            if (row.length < n) row = new double[n];
            return row;
        }

        double[] logits(int n) {
            if (logits.length < n) logits = new double[n];
            return logits;
        }

        double[] select(int n) {
            if (select.length < n) select = new double[n];
            return select;
        }

        int[] kept(int n) {
            if (kept.length < n) kept = new int[n];
            return kept;
        }

        long[] weights(int n) {
            if (weights.length < n) weights = new long[n];
            return weights;
        }

        long[] threshold(int n) {
            if (threshold.length < n) threshold = new long[n];
            return threshold;
        }

        int[] history(int h) {
            if (history.length < h) history = new int[h];
            return history;
        }

        int[] order(int m) {
            if (order.length < m) order = new int[m];
            return order;
        }
    }

    /** Each sampling thread's workspace. */
    private static final ThreadLocal<Workspace> LOCAL = ThreadLocal.withInitial(Workspace::new);

    /** {@link Op#SAMPLE} on validated operands: h history ids per row (k of the call). */
    static void sample(int rows, int n, int h, Batch logits, Batch history, Batch sampler, double step,
            Batch tokens) {
        double[] spec = new double[sampler.cols()];
        Operations.read(sampler, 0, spec);
        Params sp = Params.of(spec);
        // Half logits are sampled as the float32 values they widen to, as the native core does.
        Precision p = logits.type() == ElementType.FLOAT64 ? Precision.FLOAT64 : Precision.FLOAT32;
        Workspace ws = LOCAL.get();
        double[] x = ws.row(n);  // the row as read, [0, n); sampleRow works on a copy in ws.logits
        double[] hd = history == null ? null : new double[h];
        int[] hist = history == null ? null : new int[h];
        double[] token = new double[1];
        for (int r = 0; r < rows; r++) {
            Operations.read(logits, r, x, n);
            if (history != null) {
                Operations.read(history, r, hd);
                for (int i = 0; i < h; i++) hist[i] = (int) hd[i];
            }
            token[0] = sampleRow(ws, p, sp, x, n, hist, r, (long) step);
            Operations.write(tokens, r, token);
        }
    }

    /** {@link Op#TOP_LOGPROBS} on validated operands: k top ids per row. */
    static void topLogprobs(int rows, int n, int k, Batch logits, Batch tokens, Batch topIds, Batch logprobs) {
        Workspace ws = LOCAL.get();
        double[] x = ws.row(n);  // the row as read, [0, n)
        double[] token = new double[1];
        double[] tokenLp = new double[1];
        int[] ids = new int[k];
        double[] lps = new double[k];
        double[] idOut = new double[k];
        double[] lpOut = new double[k + 1];
        for (int r = 0; r < rows; r++) {
            Operations.read(logits, r, x, n);
            Operations.read(tokens, r, token);
            logprobs(ws, x, n, (int) token[0], tokenLp, ids, lps);
            lpOut[0] = tokenLp[0];
            for (int i = 0; i < k; i++) {
                idOut[i] = ids[i];
                lpOut[i + 1] = lps[i];
            }
            Operations.write(topIds, r, idOut);
            Operations.write(logprobs, r, lpOut);
        }
    }

    /**
     * The token of one row, or −1 (an empty row; NaN or +∞ after the penalties and the bias; all
     * −∞).
     *
     * @param ws the arrays to work in (grown as needed; their contents are overwritten)
     * @param x the row's logits, exact values of the element type (not modified)
     * @param history the row's history ids (−1 is padding), or null
     * @param row the row's index in its call: its stream of random numbers
     */
    public static int sampleRow(Workspace ws, Precision p, Params sp, double[] x, int n, int[] history,
            long row, long step) {
        if (n == 0) return -1;
        double[] l = ws.logits(n);
        System.arraycopy(x, 0, l, 0, n);
        if (sp.penalised() && history != null) penalise(p, sp, l, history, ws.history(history.length));
        for (int b = 0; b < sp.biasIds().length; b++) {
            int id = sp.biasIds()[b];
            l[id] = p.round(l[id] + p.round(sp.biasValues()[b]));
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            if (!(l[i] < Double.POSITIVE_INFINITY)) return -1;  // NaN or +inf
            max = Math.max(max, l[i]);
        }
        if (max == Double.NEGATIVE_INFINITY) return -1;
        if (sp.temperature() == 0) {
            for (int i = 0; ; i++) if (l[i] == max) return i;  // the lowest id of the maximum
        }
        // Top-k: every token >= the K-th largest, ties included.
        int[] kept = ws.kept(n);
        int c = 0;
        if (sp.topK() > 0 && sp.topK() < n) {
            double kth = SampleWeights.kthLargest(l, n, sp.topK(), ws.select(n));
            for (int i = 0; i < n; i++) if (l[i] >= kth) kept[c++] = i;
        } else {
            for (int i = 0; i < n; i++) kept[c++] = i;
        }
        double a = p.round(Math.min(1.0 / sp.temperature(), p.max));
        int s = SampleWeights.weightShift(c);
        long[] w = ws.weights(c);
        long total = 0;
        for (int i = 0; i < c; i++) {
            double d = p.round(l[kept[i]] - max);
            if (a != 1) d = p.round(d * a);
            w[i] = (long) SampleWeights.scaledWeight(p, d, s);
            total += w[i];
        }
        long thrP = sp.topP() < 1 ? SampleWeights.ceilMul(sp.topP(), total) : 0;
        long thrM = sp.minP() > 0 ? (long) Math.ceil(Math.scalb(sp.minP(), s)) : 0;
        // Min-p, then top-p on what it keeps: the same set as top-p then min-p, because both keep
        // the heaviest tokens (the order of docs/sampling.md), and zero weights never draw.
        int m = keepAtLeast(kept, w, c, Math.max(thrM, 1));
        long sum = sum(w, m);
        if (thrP > 0 && sum >= thrP) {
            m = keepAtLeast(kept, w, m, SampleWeights.weightedThreshold(w, m, thrP, ws.threshold(m)));
            sum = sum(w, m);
        }
        long r = Philox.scaleDraw(Philox.drawBits(sp.seed(), row, step), sum);
        long acc = 0;
        for (int i = 0; i < m; i++) {
            acc += w[i];
            if (r < acc) return kept[i];
        }
        throw new AssertionError("draw " + r + " beyond the kept mass " + sum);
    }

    /** Repetition, then frequency, then presence, for each distinct id of the history. */
    private static void penalise(Precision p, Params sp, double[] l, int[] history, int[] ids) {
        int count = 0;
        for (int id : history) if (id >= 0) ids[count++] = id;
        Arrays.sort(ids, 0, count);
        double rep = p.round(sp.repetition());
        double presence = p.round(sp.presence());
        double frequency = p.round(sp.frequency());
        for (int i = 0; i < count; ) {
            int j = i;
            while (j < count && ids[j] == ids[i]) j++;
            double v = l[ids[i]];
            v = v > 0 ? p.round(v / rep) : p.round(v * rep);
            v = p.round(v - p.round(p.round(j - i) * frequency));
            v = p.round(v - presence);
            l[ids[i]] = v;
            i = j;
        }
    }

    /** Keeps, in order, the first m entries of (ids, w) whose weight is at least t; returns how many. */
    private static int keepAtLeast(int[] ids, long[] w, int m, long t) {
        int k = 0;
        for (int i = 0; i < m; i++) {
            if (w[i] >= t) {
                ids[k] = ids[i];
                w[k] = w[i];
                k++;
            }
        }
        return k;
    }

    private static long sum(long[] w, int m) {
        long s = 0;
        for (int i = 0; i < m; i++) s += w[i];
        return s;
    }

    /**
     * The log-probabilities of one row under the log-softmax of its raw logits (before every
     * stage): the token's into tokenLogprob[0] (NaN for −1, or where the row's log-sum-exp is not
     * finite) and the {@code topIds.length} most likely ids, ties to the lower id, with theirs
     * (−1 and NaN for such a row). Values are in double; the caller rounds them.
     *
     * <p>The top ids are selected, not sorted out of the whole row (that sort boxed every id of
     * the vocabulary, per row): the k-th largest value by selection, every id above it and the
     * lowest ids at it, in id order, then a stable sort of those k by value: O(n + k log k), and
     * nothing allocated once the thread's workspace has grown. Values compare as
     * numbers, as the native core's do (−0 ties +0, and the lower id goes first).
     */
    public static void logprobs(Workspace ws, double[] x, int n, int token, double[] tokenLogprob, int[] topIds,
            double[] topLogprobs) {
        double lse = Reference.logSumExp(x, n, 1.0);
        boolean valid = Double.isFinite(lse);
        if (tokenLogprob != null) tokenLogprob[0] = valid && token >= 0 ? x[token] - lse : Double.NaN;
        int top = topIds == null ? 0 : topIds.length;
        if (top == 0) return;
        if (!valid) {
            Arrays.fill(topIds, -1);
            Arrays.fill(topLogprobs, Double.NaN);
            return;
        }
        // A finite LSE: no NaN and no +inf in the row, so every value compares.
        double kth = SampleWeights.kthLargest(x, n, top, ws.select(n));
        int c = 0;
        for (int i = 0; i < n; i++) if (x[i] > kth) topIds[c++] = i;
        for (int i = 0; c < top; i++) if (x[i] == kth) topIds[c++] = i;
        sortByValue(x, topIds, ws.order(top));
        for (int i = 0; i < top; i++) topLogprobs[i] = x[topIds[i]] - lse;
    }

    /**
     * Sorts ids by x[id] descending, stably (bottom-up merge sort through scratch): ids that
     * arrive in ascending order among equal values keep it.
     */
    private static void sortByValue(double[] x, int[] ids, int[] scratch) {
        int m = ids.length;
        int[] from = ids;
        int[] to = scratch;
        for (int width = 1; width < m; width *= 2) {
            for (int lo = 0; lo < m; lo += 2 * width) {
                int mid = Math.min(lo + width, m);
                int hi = Math.min(lo + 2 * width, m);
                int i = lo;
                int j = mid;
                for (int o = lo; o < hi; o++) {
                    to[o] = j >= hi || (i < mid && x[from[i]] >= x[from[j]]) ? from[i++] : from[j++];
                }
            }
            int[] t = from;
            from = to;
            to = t;
        }
        if (from != ids) System.arraycopy(from, 0, ids, 0, m);
    }
}
