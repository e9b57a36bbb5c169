package org.softmax4j;

/**
 * The element type of a {@link Batch}: how many bytes one element takes and how it is read. Every
 * operation states the types its operands take: the data of an operation (logits,
 * probabilities, tangents, outputs) is all {@link #FLOAT32} or all {@link #FLOAT64}, masks are
 * {@link #BOOL} and labels {@link #INT32}.
 *
 * <p>Half precision: {@link #BFLOAT16} and {@link #FLOAT16} are 16-bit patterns (held in
 * {@code short[]}, {@code ShortBuffer}, {@code ShortPointer} or a {@code MemorySegment}). Softmax,
 * log-softmax and log-sum-exp and their masked forms ({@link Softmax}), {@link Attention}'s
 * operations, {@link Sampler#sample} and {@link Sampler#topLogprobs} take their logits in one of
 * them; the output is then that half type or {@link #FLOAT32}, as the caller chooses. The inputs
 * are widened to float32 exactly, the operation computes in float32, and a half output is that
 * result rounded to nearest even by {@link #toBits(float)}: within one ulp of the half type of
 * the exact result of the stored logits ({@code docs/mathematics.md}, "Half-precision storage").
 * Other operations refuse half data.
 */
public enum ElementType {
    /** IEEE 754 binary32, Java {@code float}. */
    FLOAT32(4, 1),
    /** IEEE 754 binary64, Java {@code double}. */
    FLOAT64(8, 2),
    /**
     * bfloat16: the upper 16 bits of a float32 (8 exponent bits, 7 stored significand bits), as a
     * {@code short}. Narrowing flushes float32 subnormals to ±0, as AVX512-BF16 does.
     */
    BFLOAT16(2, 3),
    /** IEEE 754 binary16 (float16: 5 exponent bits, 10 significand bits), as a {@code short}. */
    FLOAT16(2, 4),
    /** One byte per element: 0 is false, anything else true ({@code boolean[]} on the heap). */
    BOOL(1, 5),
    /** A 32-bit signed integer, Java {@code int}. */
    INT32(4, 6);

    private final int bytes;
    private final int code;

    ElementType(int bytes, int code) {
        this.bytes = bytes;
        this.code = code;
    }

    /**
     * Bytes per element.
     *
     * @return 1, 2, 4 or 8
     */
    public int bytes() {
        return bytes;
    }

    /**
     * The value of {@code enum sm4j_dtype} in the C API ({@code native/include/softmax4j.h}).
     *
     * @return the C code
     */
    public int code() {
        return code;
    }

    /**
     * True for the floating-point types, which hold an operation's data.
     *
     * @return true for FLOAT32, FLOAT64, BFLOAT16 and FLOAT16
     */
    public boolean isFloatingPoint() {
        return this == FLOAT32 || this == FLOAT64 || isHalf();
    }

    /**
     * True for the 16-bit floating-point types, stored as bit patterns in {@code short}s.
     *
     * @return true for BFLOAT16 and FLOAT16
     */
    public boolean isHalf() {
        return this == BFLOAT16 || this == FLOAT16;
    }

    /**
     * The value of a 16-bit pattern of this half type, widened exactly. A float16 NaN widens to
     * a quiet NaN with its payload (as {@code vcvtph2ps} does); a bfloat16 is a float32's upper
     * half, widened by a shift.
     *
     * @param bits the pattern
     * @return its value as a float
     * @throws IllegalArgumentException unless this is BFLOAT16 or FLOAT16
     */
    public float toFloat(short bits) {
        if (this == BFLOAT16) return Float.intBitsToFloat((bits & 0xffff) << 16);
        if (this != FLOAT16) throw notHalf();
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int e = (h >>> 10) & 0x1f;
        int m = h & 0x3ff;
        if (e == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (m != 0 ? 0x400000 | m << 13 : 0));
        if (e != 0) return Float.intBitsToFloat(sign | (e + 112) << 23 | m << 13);
        float v = m * 0x1p-24f;  // subnormal or zero: exact
        return sign != 0 ? -v : v;
    }

    /**
     * The 16-bit pattern of this half type nearest to {@code value}, ties to even: overflow gives
     * ±∞, NaN a quiet NaN with the sign and the top of the payload. float16 keeps its
     * subnormals ({@code vcvtps2ph}); bfloat16 flushes a float32 subnormal to ±0
     * ({@code vcvtneps2bf16}). The native core narrows with the same rule, bit for bit.
     *
     * @param value the value
     * @return its pattern
     * @throws IllegalArgumentException unless this is BFLOAT16 or FLOAT16
     */
    public short toBits(float value) {
        int x = Float.floatToRawIntBits(value);
        if (this == BFLOAT16) {
            if ((x & 0x7fffffff) > 0x7f800000) return (short) ((x >>> 16) | 0x40);
            if ((x & 0x7f800000) == 0) return (short) ((x >>> 16) & 0x8000);
            return (short) ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16);
        }
        if (this != FLOAT16) throw notHalf();
        int sign = (x >>> 16) & 0x8000;
        int a = x & 0x7fffffff;
        if (a > 0x7f800000) return (short) (sign | 0x7e00 | ((a >>> 13) & 0x3ff));
        if (a >= 0x477ff000) return (short) (sign | 0x7c00);  // from 65520 up, and infinity
        if (a >= 0x38800000) return (short) (sign | ((a - 0x38000000 + 0xfff + ((a >>> 13) & 1)) >>> 13));
        if (a <= 0x33000000) return (short) sign;  // up to 2^-25, a tie to even: zero
        int m = (a & 0x7fffff) | 0x800000;
        int shift = 126 - (a >>> 23);  // 14..24: the count of 2^-24 in a, rounded
        int r = m >>> shift;
        int rest = m & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (rest > halfway || (rest == halfway && (r & 1) != 0)) r++;
        return (short) (sign | r);
    }

    private IllegalArgumentException notHalf() {
        return new IllegalArgumentException(this + " is not a 16-bit floating-point type");
    }

    /**
     * Lower case, as NumPy (and ml_dtypes) name it: {@code float32}, {@code float64},
     * {@code bfloat16}, {@code float16}, {@code bool}, {@code int32}.
     */
    @Override
    public String toString() {
        return this == BOOL ? "bool" : name().toLowerCase(java.util.Locale.ROOT);
    }
}
