package org.softmax4j.backend;

/**
 * The sampler's random numbers, as the native core draws them ({@code native/src/sampler/philox.hpp}):
 * Philox4x32-10 (Salmon, Moraes, Dror and Shaw, SC 2011), a counter-based generator, so each
 * draw is a pure function of (seed, row, step). Key = (seed low 32 bits, high 32 bits), counter
 * = (row low, row high, step low, step high), and the draw's 64 bits are
 * {@code out[0] | out[1] << 32}. Internal; tested against Random123's known answers.
 */
public final class Philox {
    private Philox() {}

    private static final int M0 = 0xD2511F53;
    private static final int M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;

    /** One Philox4x32-10 block: the four output words for counter c and key k. */
    public static int[] block(int[] counter, int[] key) {
        int c0 = counter[0], c1 = counter[1], c2 = counter[2], c3 = counter[3];
        int k0 = key[0], k1 = key[1];
        for (int round = 0; round < 10; round++) {
            if (round > 0) {
                k0 += W0;
                k1 += W1;
            }
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            c0 = n0;
            c1 = (int) p1;
            c2 = n2;
            c3 = (int) p0;
        }
        return new int[] {c0, c1, c2, c3};
    }

    /** The 64 random bits of the draw of {@code row} at {@code step} (both unsigned). */
    public static long drawBits(long seed, long row, long step) {
        int[] out = block(new int[] {(int) row, (int) (row >>> 32), (int) step, (int) (step >>> 32)},
                new int[] {(int) seed, (int) (seed >>> 32)});
        return (out[0] & 0xFFFFFFFFL) | ((long) out[1] << 32);
    }

    /**
     * floor(bits · total / 2⁶⁴) for unsigned {@code bits} and 1 ≤ total &lt; 2⁶³: an integer in
     * [0, total), each within 2⁻⁶⁴ of equally likely.
     */
    public static long scaleDraw(long bits, long total) {
        // The unsigned high product: the signed one, corrected for bits' top bit.
        return Math.multiplyHigh(bits, total) + ((bits >> 63) & total);
    }
}
