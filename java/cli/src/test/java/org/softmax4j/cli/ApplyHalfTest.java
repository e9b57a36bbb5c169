package org.softmax4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softmax4j.Attention;
import org.softmax4j.AttentionMask;
import org.softmax4j.Batch;
import org.softmax4j.ElementType;
import org.softmax4j.Scale;
import org.softmax4j.Softmax;
import org.softmax4j.io.Npy;

/**
 * {@code apply} on half precision: a float16 .npy in and out, bfloat16 bit patterns in a uint16
 * .npy with {@code --storage bfloat16}, float32 out on request; each the library's call on the
 * same bits, and the errors one line with no file left.
 */
class ApplyHalfTest {
    @TempDir
    Path dir;

    private final float[] x = {1, 2, 3.5f, -1, 0, 0.5f, 70000, -2, Float.NEGATIVE_INFINITY};

    private short[] bits(ElementType t) {
        short[] h = new short[x.length];
        for (int i = 0; i < h.length; i++) h[i] = t.toBits(x[i]);
        return h;
    }

    private Path save(String name, Npy.Array a) throws IOException {
        Path p = dir.resolve(name);
        Npy.write(p, a);
        return p;
    }

    private Npy.Array apply(String... args) throws IOException {
        return CliTest.apply(dir, args);
    }

    @Test
    void float16InAndOut() throws IOException {
        Softmax s = Softmax.get();
        short[] h = bits(ElementType.FLOAT16);
        String in = save("x.npy", Npy.Array.of(Npy.DType.FLOAT16, h, 3, 3)).toString();
        short[] want = new short[9];
        s.softmax(Batch.of(h, ElementType.FLOAT16, 3, 3), Batch.of(want, ElementType.FLOAT16, 3, 3), Scale.temperature(2));
        Npy.Array y = apply("--op", "softmax", "--in", in, "--temperature", "2");
        assertEquals(Npy.DType.FLOAT16, y.dtype());
        assertArrayEquals(want, (short[]) y.data());
        // 70000 is +inf in float16: its row is NaN, as the library says.
        assertEquals(Float.NaN, ElementType.FLOAT16.toFloat(((short[]) y.data())[6]));
        short[] lse = new short[3];
        s.logSumExp(Batch.of(h, ElementType.FLOAT16, 3, 3), Batch.of(lse, ElementType.FLOAT16, 3, 1));
        assertArrayEquals(lse, (short[]) apply("--op", "logsumexp", "--in", in).data());
        float[] f = new float[9];
        s.logSoftmax(Batch.of(h, ElementType.FLOAT16, 3, 3), Batch.of(f, 3, 3));
        Npy.Array y32 = apply("--op", "log-softmax", "--in", in, "--out-dtype", "float32");
        assertEquals(Npy.DType.FLOAT32, y32.dtype());
        assertArrayEquals(f, (float[]) y32.data());
    }

    @Test
    void bfloat16AsUint16WithStorage() throws IOException {
        Softmax s = Softmax.get();
        short[] h = bits(ElementType.BFLOAT16);
        String in = save("x.npy", Npy.Array.of(Npy.DType.UINT16, h, 3, 3)).toString();
        short[] want = new short[9];
        Attention.on(s).softmax(Batch.of(h, ElementType.BFLOAT16, 3, 3), null, Batch.of(want, ElementType.BFLOAT16, 3, 3), 0.5,
                AttentionMask.causal(0));
        Npy.Array y = apply("--op", "attention-softmax", "--in", in, "--storage", "bfloat16", "--scale", "0.5",
                "--causal-offset", "0");
        assertEquals(Npy.DType.UINT16, y.dtype());
        assertArrayEquals(want, (short[]) y.data());
        boolean[] keep = {true, false, true, true, true, false, false, true, true};
        String m = save("m.npy", Npy.Array.of(keep, 3, 3)).toString();
        s.maskedSoftmax(Batch.of(h, ElementType.BFLOAT16, 3, 3), Batch.of(keep, 3, 3), Batch.of(want, ElementType.BFLOAT16, 3, 3),
                Scale.ONE);
        assertArrayEquals(want, (short[]) apply("--op", "masked-softmax", "--in", in, "--storage", "bfloat16", "--mask", m).data());
    }

    @Test
    void halfMistakesFailInOneLine() throws IOException {
        String u16 = save("u.npy", Npy.Array.of(Npy.DType.UINT16, bits(ElementType.BFLOAT16), 3, 3)).toString();
        String f16 = save("h.npy", Npy.Array.of(Npy.DType.FLOAT16, bits(ElementType.FLOAT16), 3, 3)).toString();
        String f64 = save("d.npy", Npy.Array.of(new double[9], 3, 3)).toString();
        Path out = dir.resolve("y.npy");
        String o = out.toString();
        CliTest.fails(CliTest.run("apply", "--op", "softmax", "--in", u16, "--out", o), "needs --storage bfloat16");
        CliTest.fails(CliTest.run("apply", "--op", "softmax", "--in", f16, "--storage", "bfloat16", "--out", o), "holds float16");
        CliTest.fails(CliTest.run("apply", "--op", "softmax", "--in", f64, "--storage", "bfloat16", "--out", o), "--storage is for 16-bit");
        CliTest.fails(CliTest.run("apply", "--op", "softmax", "--in", u16, "--storage", "int8", "--out", o), "--storage must be");
        CliTest.fails(CliTest.run("apply", "--op", "softmax", "--in", f64, "--out-dtype", "float32", "--out", o), "--out-dtype");
        CliTest.fails(CliTest.run("apply", "--op", "sigmoid", "--in", f16, "--out", o), "must hold float32 or float64, got float16");
        CliTest.fails(CliTest.run("apply", "--op", "combine", "--in", f16, "--in", f16, "--out", o), "combine takes float32");
        assertFalse(Files.exists(out));
    }
}
