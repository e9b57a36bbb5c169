package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.softmax4j.backend.Op;

/**
 * Half-precision storage ({@link ElementType#BFLOAT16}, {@link ElementType#FLOAT16}): every
 * storage kind that holds 16-bit patterns ({@code short[]}, heap and direct {@code ShortBuffer},
 * {@code ShortPointer}; the MemorySegment kinds in {@link SegmentIT}) × both half types × a half
 * or float32 output × every operation that takes half data, on both backends, against the
 * reference: the Java backend's float64 path on the widened inputs. The Java backend on half
 * storage must give that result rounded to the output type, bit for bit; the native backend must
 * be within 1 ulp of the half type of it (a float32 output: within the float32 tolerance of
 * {@link TestSupport#check}), with NaN, ±∞ and masked entries exact. Then the conversions of
 * {@link ElementType#toBits}/{@link ElementType#toFloat} at the edges and against an independent
 * definition, and the rules of the route for half data.
 */
class HalfPrecisionTest {

    /** The operations that take half data, as the tests call them. */
    enum Call {
        SOFTMAX, LOG_SOFTMAX, LOG_SUM_EXP, MASKED_SOFTMAX, MASKED_LOG_SOFTMAX, MASKED_LOG_SUM_EXP, ATTENTION_SOFTMAX,
        ATTENTION_LOG_SOFTMAX, ATTENTION_LOG_SUM_EXP, TOP_LOGPROBS;

        boolean reduces() {
            return this == LOG_SUM_EXP || this == MASKED_LOG_SUM_EXP || this == ATTENTION_LOG_SUM_EXP;
        }

        /** The row operation whose tolerance applies. */
        Op base() {
            return switch (this) {
                case SOFTMAX, MASKED_SOFTMAX, ATTENTION_SOFTMAX -> Op.SOFTMAX;
                case LOG_SOFTMAX, MASKED_LOG_SOFTMAX, ATTENTION_LOG_SOFTMAX, TOP_LOGPROBS -> Op.LOG_SOFTMAX;
                default -> Op.LOG_SUM_EXP;
            };
        }

        int outWidth(int n) {
            return reduces() ? 1 : this == TOP_LOGPROBS ? TOP + 1 : n;
        }
    }

    static final int TOP = 3;
    /** A scale that float32 holds exactly, so that the float64 reference sees the same α. */
    static final double TAU = 0.5;

    /** The shapes: small, many blocks over threads, long rows the native core splits. */
    static final int[][] SHAPES = {{5, 17}, {300, 1000}, {2, 40000}};

    /** The storages that hold 16-bit patterns here (segments: SegmentIT). */
    static List<TestStorage> storages() {
        List<TestStorage> s = new ArrayList<>();
        for (TestStorage t : TestStorage.values()) {
            if (t != TestStorage.MATRIX && t != TestStorage.SEGMENT && t != TestStorage.HEAP_SEGMENT) s.add(t);
        }
        return s;
    }

    static Stream<Arguments> cases(List<TestStorage> storages) {
        List<Arguments> all = new ArrayList<>();
        for (Softmax.Backend b : Softmax.Backend.values()) {
            for (TestStorage s : storages) {
                for (ElementType t : new ElementType[] {ElementType.BFLOAT16, ElementType.FLOAT16}) {
                    for (ElementType out : new ElementType[] {t, ElementType.FLOAT32}) {
                        for (Call c : Call.values()) all.add(Arguments.of(b, s, t, out, c));
                    }
                }
            }
        }
        return all.stream();
    }

    static Stream<Arguments> cases() {
        return cases(storages());
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3} {4}")
    @MethodSource("cases")
    void agreesWithTheReference(Softmax.Backend backend, TestStorage storage, ElementType type, ElementType out, Call call) {
        check(TestSupport.backend(backend), storage, type, out, call);
    }

    /** One backend, storage, type and operation over every shape. */
    static void check(Softmax s, TestStorage storage, ElementType type, ElementType out, Call call) {
        for (int[] shape : SHAPES) {
            int rows = shape[0], n = shape[1];
            // Logits at a few scales, with −∞, +∞ (whose row is NaN), NaN and values float16 cannot hold.
            SplittableRandom r = new SplittableRandom(31L * rows + n + call.ordinal());
            int ld = n + 2;
            double[] x = new double[1 + rows * ld];
            for (int i = 0; i < x.length; i++) x[i] = r.nextGaussian() * (i % 7 == 0 ? 30 : 3);
            x[1] = Double.NEGATIVE_INFINITY;
            if (rows > 2) {
                x[1 + ld + 3] = Double.NaN;
                x[1 + 2 * ld + 1] = 1e6;  // float16: +∞
            }
            double[] xw = widened(type, x);
            boolean[] keep = new boolean[rows * n];
            for (int i = 0; i < keep.length; i++) keep[i] = r.nextInt(4) != 0;
            double[] bias = new double[rows * n];
            for (int i = 0; i < bias.length; i++) bias[i] = r.nextGaussian();
            double[] biasw = widened(type, bias);
            int w = call.outWidth(n);
            int ldy = w + 1;
            // The reference: the Java backend in float64 on the widened values.
            double[] want;
            int[] wantIds = new int[rows * TOP];
            double[] tokens = new double[rows];
            for (int i = 0; i < rows; i++) tokens[i] = r.nextInt(n);
            try (TestStorage.Stored xr = TestStorage.ARRAY.store(ElementType.FLOAT64, xw, 1, rows, n, ld);
                 TestStorage.Stored yr = TestStorage.ARRAY.store(ElementType.FLOAT64, new double[rows * ldy], 0, rows, w, ldy);
                 TestStorage.Stored mr = TestStorage.ARRAY.store(ElementType.BOOL, flags(keep), 0, rows, n, n);
                 TestStorage.Stored br = TestStorage.ARRAY.store(ElementType.FLOAT64, biasw, 0, rows, n, n);
                 TestStorage.Stored tr = TestStorage.ARRAY.store(ElementType.INT32, tokens, 0, rows, 1, 1);
                 TestStorage.Stored ir = TestStorage.ARRAY.store(ElementType.INT32, new double[rows * TOP], 0, rows, TOP, TOP)) {
                run(Softmax.java(), call, xr.batch(), mr.batch(), br.batch(), tr.batch(), ir.batch(), yr.batch());
                want = yr.contents();
                double[] ids = ir.contents();
                for (int i = 0; i < ids.length; i++) wantIds[i] = (int) ids[i];
            }
            double[] got;
            double[] gotIds;
            try (TestStorage.Stored xs = storage.store(type, x, 1, rows, n, ld);
                 TestStorage.Stored ys = storage.store(out, TestSupport.filledDouble(rows * ldy), 0, rows, w, ldy);
                 TestStorage.Stored mr = TestStorage.ARRAY.store(ElementType.BOOL, flags(keep), 0, rows, n, n);
                 TestStorage.Stored bs = storage.store(type, bias, 0, rows, n, n);
                 TestStorage.Stored tr = TestStorage.ARRAY.store(ElementType.INT32, tokens, 0, rows, 1, 1);
                 TestStorage.Stored ir = TestStorage.ARRAY.store(ElementType.INT32, new double[rows * TOP], 0, rows, TOP, TOP)) {
                run(s, call, xs.batch(), mr.batch(), bs.batch(), tr.batch(), ir.batch(), ys.batch());
                got = ys.contents();
                gotIds = ir.contents();
                assertArrayEquals(widened(type, x), xs.contents(), "the input is not written");
            }
            double lse = lseBound(xw, n);
            String where = s.backend() + " " + storage + " " + type + " -> " + out + " " + call + " " + rows + "×" + n;
            if (call == Call.TOP_LOGPROBS) {
                for (int i = 0; i < wantIds.length; i++) {
                    if (wantIds[i] != (int) gotIds[i]) fail(where + ": top id " + i + " is " + gotIds[i] + ", want " + wantIds[i]);
                }
            }
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < ldy; j++) {
                    int at = i * ldy + j;
                    String here = where + " [" + i + "][" + j + "]";
                    if (j >= w) {
                        double sentinel = out.isHalf() ? out.toFloat(out.toBits((float) TestSupport.SENTINEL)) : TestSupport.SENTINEL;
                        assertEquals(sentinel, got[at], here + ": outside the output");
                    } else {
                        compare(s.backend(), call, out, type, n, lse, want[at], got[at], here);
                    }
                }
            }
        }
    }

    /**
     * The Java backend: the reference rounded to the output type, exactly (half: through float32,
     * as the native core narrows). The native one: within 1 ulp of the half type, or the float32
     * tolerance for a float32 output; NaN, ±∞ and exact zeros of masked entries exactly.
     */
    static void compare(Softmax.Backend backend, Call call, ElementType out, ElementType type, int n, double lse,
            double want, double got, String where) {
        double rounded = out.isHalf() ? out.toFloat(out.toBits((float) want)) : (float) want;
        if (backend == Softmax.Backend.JAVA || Double.isNaN(want) || Double.isInfinite(want)) {
            if (Double.compare(rounded, got) != 0 && !(Double.isNaN(rounded) && Double.isNaN(got))) {
                fail(where + ": expected " + rounded + " (" + want + " rounded), got " + got);
            }
            return;
        }
        if (call == Call.TOP_LOGPROBS) {
            // x_t − LSE with the LSE rounded to float32 first (as the float32 path does): its
            // rounding, two float32 ulps at the LSE's size, comes on top of the output's.
            double tol = 2 * Math.ulp((float) lse) + (out.isHalf() ? ulp(type, want) : 0);
            if (!(Math.abs(got - want) <= tol)) fail(where + ": expected " + want + " within " + tol + ", got " + got);
            return;
        }
        if (out.isHalf()) {
            if (got == rounded) return;
            double ulp = ulp(type, want);
            if (!(Math.abs(got - want) <= ulp)) {
                fail(where + ": expected " + want + " within 1 ulp (" + ulp + ") of " + type + ", got " + got);
            }
        } else {
            TestSupport.check(call.base(), true, n, 1 / TAU, want, got, where);
        }
    }

    /** A bound on |LSE| of the raw logits: max |x| + log n. */
    static double lseBound(double[] x, int n) {
        double m = 0;
        for (double v : x) if (Double.isFinite(v)) m = Math.max(m, Math.abs(v));
        return m + Math.log(Math.max(n, 1));
    }

    static double ulp(ElementType type, double v) {
        return TestSupport.halfUlp(type, v);
    }

    static void run(Softmax s, Call call, Batch x, Batch mask, Batch bias, Batch tokens, Batch ids, Batch y) {
        Scale scale = Scale.temperature(TAU);
        switch (call) {
            case SOFTMAX -> s.softmax(x, y, scale);
            case LOG_SOFTMAX -> s.logSoftmax(x, y, scale);
            case LOG_SUM_EXP -> s.logSumExp(x, y, scale);
            case MASKED_SOFTMAX -> s.maskedSoftmax(x, mask, y, scale);
            case MASKED_LOG_SOFTMAX -> s.maskedLogSoftmax(x, mask, y, scale);
            case MASKED_LOG_SUM_EXP -> s.maskedLogSumExp(x, mask, y, scale);
            case ATTENTION_SOFTMAX -> Attention.on(s).softmax(x, bias, y, 1 / TAU, AttentionMask.causal(2));
            case ATTENTION_LOG_SOFTMAX -> Attention.on(s).logSoftmax(x, null, y, 1 / TAU, AttentionMask.causal(1).window(9));
            case ATTENTION_LOG_SUM_EXP -> Attention.on(s).logSumExp(x, bias.slice(0, 1), y, 1 / TAU,
                    AttentionMask.NONE);
            case TOP_LOGPROBS -> Sampler.builder(x.cols()).build().on(s).topLogprobs(x, tokens, ids, y);
        }
    }

    static double[] widened(ElementType type, double[] x) {
        double[] w = new double[x.length];
        for (int i = 0; i < x.length; i++) w[i] = TestSupport.stored(type, x[i]);
        return w;
    }

    static double[] flags(boolean[] keep) {
        double[] d = new double[keep.length];
        for (int i = 0; i < d.length; i++) d[i] = keep[i] ? 1 : 0;
        return d;
    }

    // ---------------------------------------------------------------- in place, sampling

    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void inPlaceGivesWhatAnOutputOfItsOwnGets(Softmax.Backend backend) {
        Softmax s = TestSupport.backend(backend);
        for (ElementType t : new ElementType[] {ElementType.BFLOAT16, ElementType.FLOAT16}) {
            double[] x = TestSupport.gaussian(5, 300 * 700, 4);
            short[] a = TestStorage.toHalf(t, x);
            short[] y = new short[a.length];
            s.softmax(Batch.of(a, t, 300, 700), Batch.of(y, t, 300, 700));
            s.softmax(Batch.of(a, t, 300, 700), Batch.of(a, t, 300, 700));
            assertArrayEquals(y, a, t + ": in place");
        }
    }

    /** Half logits are sampled as the float32 values they widen to, on both backends alike. */
    @Test
    void samplingHalfLogitsIsSamplingTheirFloatValues() {
        Sampler sampler = Sampler.builder(5000).temperature(0.8).topK(40).topP(0.9).seed(17).build();
        List<Softmax> backends = TestSupport.availableBackends();
        for (ElementType t : new ElementType[] {ElementType.BFLOAT16, ElementType.FLOAT16}) {
            double[] x = TestSupport.gaussian(9, 30 * 5000, 3);
            short[] h = TestStorage.toHalf(t, x);
            float[] f = TestSupport.toFloat(widened(t, x));
            for (Softmax s : backends) {
                int[] fromHalf = new int[30];
                int[] fromFloat = new int[30];
                sampler.on(s).sample(Batch.of(h, t, 30, 5000), null, 3, Batch.of(fromHalf, 30, 1));
                sampler.on(s).sample(Batch.of(f, 30, 5000), null, 3, Batch.of(fromFloat, 30, 1));
                assertArrayEquals(fromFloat, fromHalf, s.backend() + " " + t);
            }
        }
    }

    // ---------------------------------------------------------------- the rules

    @Test
    void sixteenBitStorageMustBeAHalfType() {
        short[] a = new short[8];
        TestSupport.rejects(IllegalArgumentException.class, "type must be bfloat16 or float16",
                () -> Batch.of(a, ElementType.FLOAT32, 2, 4));
        TestSupport.rejects(NullPointerException.class, "type", () -> Batch.of(a, null, 2, 4));
        TestSupport.rejects(NullPointerException.class, "array", () -> Batch.of((short[]) null, ElementType.FLOAT16, 2, 4));
        TestSupport.rejects(IndexOutOfBoundsException.class, "array", () -> Batch.of(a, ElementType.FLOAT16, 3, 4));
        ShortBuffer foreign = ByteBuffer.allocateDirect(16).order(
                ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN)
                .asShortBuffer();
        TestSupport.rejects(IllegalArgumentException.class, "native byte order",
                () -> Batch.of(foreign, ElementType.BFLOAT16, 2, 4));
    }

    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void theRouteSaysWhichTypesGoTogether(Softmax.Backend backend) {
        Softmax s = TestSupport.backend(backend);
        Batch bf = Batch.of(new short[8], ElementType.BFLOAT16, 2, 4);
        Batch f16 = Batch.of(new short[8], ElementType.FLOAT16, 2, 4);
        Batch f64 = Batch.of(new double[8], 2, 4);
        // Outputs: the input's half type or float32, nothing else.
        TestSupport.rejects(IllegalArgumentException.class, "y holds float64 but x holds bfloat16", () -> s.softmax(bf, f64));
        TestSupport.rejects(IllegalArgumentException.class, "y holds float16 but x holds bfloat16", () -> s.softmax(bf, f16));
        // A float32 input does not write half outputs.
        TestSupport.rejects(IllegalArgumentException.class, "y holds bfloat16 but x holds float32",
                () -> s.softmax(Batch.of(new float[8], 2, 4), bf));
        // The operations without a half path refuse half data.
        TestSupport.rejects(IllegalArgumentException.class, "must hold float32 or float64, got bfloat16",
                () -> s.sigmoid(bf, Batch.of(new short[8], ElementType.BFLOAT16, 2, 4), Scale.ONE));
        TestSupport.rejects(IllegalArgumentException.class, "must hold float32 or float64, got float16",
                () -> s.jacobian(Softmax.From.LOGITS, f16, Batch.of(new float[32], 2, 16), Scale.ONE));
        // An attention bias in another type than the scores.
        TestSupport.rejects(IllegalArgumentException.class, "bias holds float16 but scores holds bfloat16",
                () -> Attention.on(s).softmax(bf, f16, Batch.of(new float[8], 2, 4), 1, AttentionMask.NONE));
    }

    // ---------------------------------------------------------------- the conversions

    @Test
    void everyHalfValueWidensExactlyAndNarrowsBackToItself() {
        for (int i = 0; i < 65536; i++) {
            short h = (short) i;
            float bf = ElementType.BFLOAT16.toFloat(h);
            assertEquals(i << 16, Float.floatToRawIntBits(bf), "bfloat16 widens by a shift");
            int e = (i >>> 7) & 0xff;
            if (e != 0 && e != 0xff) assertEquals(h, ElementType.BFLOAT16.toBits(bf), "bfloat16 round trip");
            float f = ElementType.FLOAT16.toFloat(h);
            int fe = (i >>> 10) & 0x1f, m = i & 0x3ff;
            double mag = fe == 0 ? Math.scalb((double) m, -24) : fe == 31 ? Double.POSITIVE_INFINITY
                    : Math.scalb(1024.0 + m, fe - 25);
            if (fe == 31 && m != 0) {
                assertEquals((i & 0x8000) << 16 | 0x7fc00000 | m << 13, Float.floatToRawIntBits(f), "a quiet NaN, payload kept");
                assertEquals((short) (i | 0x200), ElementType.FLOAT16.toBits(f), "NaN comes back quiet");
            } else {
                assertEquals((i & 0x8000) != 0 ? -mag : mag, f, 0.0, "float16 " + Integer.toHexString(i));
                assertEquals(Math.copySign(1.0, f), (i & 0x8000) != 0 ? -1.0 : 1.0, "sign of " + Integer.toHexString(i));
                assertEquals(h, ElementType.FLOAT16.toBits(f), "float16 round trip");
            }
        }
    }

    /** The edges, each with the pattern the hardware gives (vcvtps2ph, vcvtneps2bf16). */
    @Test
    void edges() {
        int[][] f16 = {
            {0x00000000, 0x0000}, {0x80000000, 0x8000}, {0x00000001, 0x0000}, {0x807fffff, 0x8000},
            {0x7f800000, 0x7c00}, {0xff800000, 0xfc00}, {0x7f800001, 0x7e00}, {0x7f802000, 0x7e01}, {0xffc00001, 0xfe00},
            {0x477fe000, 0x7bff}, {0x477fefff, 0x7bff}, {0x477ff000, 0x7c00}, {0x7f7fffff, 0x7c00},
            {0x3f801000, 0x3c00}, {0x3f803000, 0x3c02}, {0x3f801001, 0x3c01},
            {0x33800000, 0x0001}, {0x33000000, 0x0000}, {0x33000001, 0x0001}, {0x33c00000, 0x0002},
            {0x38800000, 0x0400}, {0x387fc000, 0x03ff}, {0x387fe000, 0x0400}};
        for (int[] c : f16) {
            assertEquals((short) c[1], ElementType.FLOAT16.toBits(Float.intBitsToFloat(c[0])), "float16 of " + Integer.toHexString(c[0]));
        }
        int[][] bf16 = {
            {0x00000000, 0x0000}, {0x80000000, 0x8000}, {0x00000001, 0x0000}, {0x807fffff, 0x8000}, {0x00800000, 0x0080},
            {0x7f800000, 0x7f80}, {0xff800000, 0xff80}, {0x7f800001, 0x7fc0}, {0x7fa00000, 0x7fe0}, {0xffc00001, 0xffc0},
            {0x7f7f0000, 0x7f7f}, {0x7f7f7fff, 0x7f7f}, {0x7f7f8000, 0x7f80}, {0x7f7fffff, 0x7f80}, {0x7f7e8000, 0x7f7e},
            {0x3f808000, 0x3f80}, {0x3f818000, 0x3f82}, {0x3f808001, 0x3f81}};
        for (int[] c : bf16) {
            assertEquals((short) c[1], ElementType.BFLOAT16.toBits(Float.intBitsToFloat(c[0])), "bfloat16 of " + Integer.toHexString(c[0]));
        }
        TestSupport.rejects(IllegalArgumentException.class, "float32 is not a 16-bit", () -> ElementType.FLOAT32.toBits(1));
    }

    /**
     * Narrowing a sweep of float bit patterns: the nearest value of the type (ties to even,
     * computed in double with {@link Math#rint}), and on JDK 20+ the JDK's own
     * {@code Float.floatToFloat16} for float16.
     */
    @Test
    void narrowingIsRoundToNearestEven() throws ReflectiveOperationException {
        Method jdk = null;
        try {
            jdk = Float.class.getMethod("floatToFloat16", float.class);
        } catch (NoSuchMethodException e) {
            // JDK 17-19
        }
        for (long b = 0; b < (1L << 32); b += 4093) {
            float f = Float.intBitsToFloat((int) b);
            if (Float.isNaN(f)) continue;
            double bfWant = Math.abs(f) < Float.MIN_NORMAL ? Math.copySign(0.0, f) : nearest(f, 8, -126, Float.MAX_VALUE);
            float bfGot = ElementType.BFLOAT16.toFloat(ElementType.BFLOAT16.toBits(f));
            assertEquals(bfWant, bfGot, 0.0, "bfloat16 of " + Integer.toHexString((int) b));
            assertEquals(Math.copySign(1.0, bfWant), Math.copySign(1.0, bfGot), "bfloat16 sign");
            short h = ElementType.FLOAT16.toBits(f);
            assertEquals(nearest(f, 11, -14, 65504), ElementType.FLOAT16.toFloat(h), 0.0, "float16 of " + Integer.toHexString((int) b));
            if (jdk != null) assertEquals((short) jdk.invoke(null, f), h, "as the JDK's floatToFloat16");
        }
    }

    static double nearest(double v, int digits, int emin, double max) {
        if (v == 0 || Double.isInfinite(v)) return v;
        int e = Math.max(Math.getExponent(v), emin);
        double ulp = Math.scalb(1.0, e - digits + 1);
        double r = Math.rint(v / ulp) * ulp;
        if (Math.abs(r) > max) return Math.copySign(Double.POSITIVE_INFINITY, v);
        return r == 0 ? Math.copySign(0.0, v) : r;
    }
}
