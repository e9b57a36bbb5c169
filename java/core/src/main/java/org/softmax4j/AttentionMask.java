package org.softmax4j;

/**
 * Which columns each row of an attention scores block sees, given by indices rather than by a
 * mask tensor. Row i of a {@code rows × n} block sees
 * <ul>
 *   <li>every column ({@link #NONE});
 *   <li>causally, the columns j ≤ i + offset ({@link #causal(int)}): the KV-cache layout, where
 *       offset is the number of positions already cached (0 for a square prefill block; n − rows
 *       when the last {@code rows} queries attend to all n keys);
 *   <li>with a sliding window W ({@link #window(int)}), also only j &gt; i + offset − W: the W
 *       latest positions, its own included.
 * </ul>
 * The visible columns of a row are one contiguous run; masked entries are never read. Immutable.
 */
public final class AttentionMask {
    /** No mask: every row sees every column. */
    public static final AttentionMask NONE = new AttentionMask(false, 0, 0);

    private final boolean causal;
    private final int offset;
    private final int window;

    private AttentionMask(boolean causal, int offset, int window) {
        this.causal = causal;
        this.offset = offset;
        this.window = window;
    }

    /**
     * The causal mask with offset 0: row i sees j ≤ i.
     *
     * @return the causal mask
     */
    public static AttentionMask causal() {
        return causal(0);
    }

    /**
     * The causal mask with an offset: row i sees j ≤ i + offset (any value: a negative offset
     * hides the first rows' columns, which then give zeros).
     *
     * @param offset positions already in the KV cache
     * @return the causal mask
     */
    public static AttentionMask causal(int offset) {
        return new AttentionMask(true, offset, 0);
    }

    /**
     * This causal mask with a sliding window: row i also sees only j &gt; i + offset − W.
     *
     * @param w the window W, at least 1
     * @return the windowed mask
     * @throws IllegalArgumentException if w &lt; 1, or this mask is not causal
     */
    public AttentionMask window(int w) {
        if (w < 1) throw new IllegalArgumentException("window must be >= 1, got " + w);
        if (!causal) throw new IllegalArgumentException("window needs a causal mask");
        return new AttentionMask(true, offset, w);
    }

    /**
     * Whether the mask is causal.
     *
     * @return true for a causal mask
     */
    public boolean isCausal() {
        return causal;
    }

    /**
     * The causal offset.
     *
     * @return the offset (0 without a causal mask)
     */
    public int offset() {
        return offset;
    }

    /**
     * The sliding window.
     *
     * @return W, or 0 for none
     */
    public int window() {
        return window;
    }

    @Override
    public String toString() {
        if (!causal) return "AttentionMask[none]";
        return "AttentionMask[causal, offset=" + offset + (window > 0 ? ", window=" + window : "") + "]";
    }
}
