package org.softmax4j.bench;

import java.util.Arrays;
import java.util.Random;

/**
 * The peer of {@link SamplerBench}: a token sampler in plain Java as the Java LLM engines write
 * it (llama3.java's samplers, Jlama): temperature, softmax with {@link Math#exp}, then greedy is
 * an arg-max, top-k and top-p sort (top-p first drops the tokens below (1 − P)/(V − 1), which
 * cannot be in the nucleus, as llama3.java does, and sorts the rest), a cumulative cut, and a
 * draw with {@link Random}. Min-p keeps p ≥ M·p_max. Buffers are allocated once.
 */
final class PlainJavaSampler {
    private final int n;
    private final double temperature;
    private final int topK;
    private final double topP;
    private final double minP;
    private final Random random;
    private final float[] p;
    private final long[] keys;

    PlainJavaSampler(int n, double temperature, int topK, double topP, double minP, long seed) {
        this.n = n;
        this.temperature = temperature;
        this.topK = topK;
        this.topP = topP;
        this.minP = minP;
        this.random = new Random(seed);
        this.p = new float[n];
        this.keys = new long[n];
    }

    int sample(float[] logits, int from) {
        if (temperature == 0) {
            int best = 0;
            for (int i = 1; i < n; i++) if (logits[from + i] > logits[from + best]) best = i;
            return best;
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, logits[from + i]);
        float inv = (float) (1 / temperature);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            p[i] = (float) Math.exp((logits[from + i] - max) * inv);
            sum += p[i];
        }
        for (int i = 0; i < n; i++) p[i] /= (float) sum;
        if (topK > 0) return cut(select(0), topK);
        if (topP < 1) {
            float cutoff = (float) ((1 - topP) / (n - 1));
            return cut(select(cutoff), Integer.MAX_VALUE);
        }
        if (minP > 0) {
            float pmax = 0;
            for (int i = 0; i < n; i++) pmax = Math.max(pmax, p[i]);
            return cut(select((float) (minP * pmax)), Integer.MAX_VALUE);
        }
        return drawFrom(n);
    }

    /** The tokens with p ≥ cutoff, sorted by descending p into keys (p's bits high, id low). */
    private int select(float cutoff) {
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (p[i] >= cutoff) keys[m++] = ((long) Float.floatToIntBits(p[i]) << 32) | i;
        }
        Arrays.sort(keys, 0, m);  // ascending: the most likely last
        return m;
    }

    /** The first k of the sorted candidates, or fewer once their mass reaches top-p. */
    private int cut(int m, int k) {
        int last = Math.max(m - k, 0);
        double mass = 0;
        int i = m - 1;
        for (; i >= last; i--) {
            mass += Float.intBitsToFloat((int) (keys[i] >>> 32));
            if (topP < 1 && mass >= topP) break;
        }
        if (i < last) i = last;
        double r = random.nextDouble() * mass;
        double acc = 0;
        for (int j = m - 1; j >= i; j--) {
            acc += Float.intBitsToFloat((int) (keys[j] >>> 32));
            if (r < acc) return (int) keys[j];
        }
        return (int) keys[i];
    }

    private int drawFrom(int count) {
        double r = random.nextDouble();
        double acc = 0;
        for (int i = 0; i < count; i++) {
            acc += p[i];
            if (r < acc) return i;
        }
        return count - 1;
    }
}
