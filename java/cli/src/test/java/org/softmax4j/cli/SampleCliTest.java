package org.softmax4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softmax4j.Attention;
import org.softmax4j.AttentionMask;
import org.softmax4j.Batch;
import org.softmax4j.Sampler;
import org.softmax4j.Softmax;
import org.softmax4j.io.Npy;

/** {@code sample} and {@code apply --op attention-softmax}: the library's results, one-line errors, no partial files. */
class SampleCliTest {
    @TempDir
    Path dir;

    private final float[] x = {1, 2, 3, -1, 0.5f, 0, 0, 4, 2, 2, -3, 1};

    private Path save(String name, Npy.Array a) throws IOException {
        Path p = dir.resolve(name);
        Npy.write(p, a);
        return p;
    }

    @Test
    void sampleWritesTheLibrarysTokensOnEitherBackend() throws IOException {
        String in = save("x.npy", Npy.Array.of(x, 3, 4)).toString();
        String hist = save("h.npy", Npy.Array.of(new long[] {2, -1, 0, 0, 3, -1}, 3, 2)).toString();
        Sampler sampler = Sampler.builder(4).temperature(0.7).topK(3).topP(0.95).minP(0.01).repetitionPenalty(1.2)
                .presencePenalty(0.1).frequencyPenalty(0.3).seed(99).build();
        int[] want = new int[3];
        sampler.sample(Batch.of(x, 3, 4), Batch.of(new int[] {2, -1, 0, 0, 3, -1}, 3, 2), 7,
                Batch.of(want, 3, 1));
        for (String backend : new String[] {"java", "native"}) {
            if (backend.equals("native") && Softmax.nativeUnavailableCause().isPresent()) continue;
            Path out = dir.resolve("t-" + backend + ".npy");
            CliTest.Result r = CliTest.run("sample", "--in", in, "--out", out.toString(), "--seed", "99", "--step", "7",
                    "--temperature", "0.7", "--top-k", "3", "--top-p", "0.95", "--min-p", "0.01",
                    "--repetition-penalty", "1.2", "--presence-penalty", "0.1", "--frequency-penalty", "0.3",
                    "--history", hist, "--backend", backend, "--threads", "1");
            assertEquals(0, r.code(), r.err());
            assertEquals("", r.err(), "no seed note when --seed is given");
            Npy.Array t = Npy.read(out);
            assertEquals(Npy.DType.INT64, t.dtype());
            assertArrayEquals(new int[] {3}, t.shape());
            assertArrayEquals(new long[] {want[0], want[1], want[2]}, (long[]) t.data(), backend);
        }
    }

    @Test
    void oneRowGivesAScalarAndTheLogprobsArchive() throws IOException {
        double[] row = {0.5, 2, 2, -1, 0};
        String in = save("r.npy", Npy.Array.of(row, 5)).toString();
        Path out = dir.resolve("t.npy");
        Path lp = dir.resolve("lp.npz");
        CliTest.Result r = CliTest.run("sample", "--in", in, "--out", out.toString(), "--temperature", "0",
                "--logprobs", "2", "--logprobs-out", lp.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("seed 0"), "says the seed it used: " + r.err());
        Npy.Array t = Npy.read(out);
        assertArrayEquals(new int[0], t.shape());
        assertArrayEquals(new long[] {1}, (long[]) t.data(), "greedy: the lower of the tied maxima");
        Map<String, Npy.Array> a = npz(lp);
        double lse = 0;
        for (double v : row) lse += Math.exp(v);
        lse = Math.log(lse);
        assertEquals(2 - lse, ((double[]) a.get("token_logprob").data())[0], 1e-12);
        assertArrayEquals(new long[] {1, 2}, (long[]) a.get("top_ids").data());
        assertArrayEquals(new double[] {2 - lse, 2 - lse}, (double[]) a.get("top_logprobs").data(), 1e-12);
        assertArrayEquals(new int[] {2}, a.get("top_ids").shape());
    }

    @Test
    void float32RowsGiveFloat32Logprobs() throws IOException {
        float[] rows = {0.5f, 2, 2, -1, 0, 1, 0, 3, 0, 0};
        String in = save("f.npy", Npy.Array.of(rows, 2, 5)).toString();
        Path out = dir.resolve("tf.npy");
        Path lp = dir.resolve("lpf.npz");
        CliTest.Result r = CliTest.run("sample", "--in", in, "--out", out.toString(), "--temperature", "0",
                "--seed", "1", "--logprobs", "2", "--logprobs-out", lp.toString());
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(new long[] {1, 2}, (long[]) Npy.read(out).data(), "greedy, ties to the lower id");
        Map<String, Npy.Array> a = npz(lp);
        assertEquals(Npy.DType.FLOAT32, a.get("token_logprob").dtype());
        assertArrayEquals(new int[] {2}, a.get("token_logprob").shape());
        assertArrayEquals(new int[] {2, 2}, a.get("top_logprobs").shape());
        assertArrayEquals(new long[] {1, 2, 2, 0}, (long[]) a.get("top_ids").data());
        float[] token = (float[]) a.get("token_logprob").data();
        float[] top = (float[]) a.get("top_logprobs").data();
        double[] want = new double[4];
        for (int q = 0; q < 2; q++) {
            double lse = 0;
            for (int j = 0; j < 5; j++) lse += Math.exp(rows[q * 5 + j]);
            lse = Math.log(lse);
            assertEquals(rows[q * 5 + (q == 0 ? 1 : 2)] - lse, token[q], 2e-6, "row " + q);
            want[q * 2] = rows[q * 5 + (q == 0 ? 1 : 2)] - lse;
            want[q * 2 + 1] = rows[q * 5 + (q == 0 ? 2 : 0)] - lse;
        }
        // float32 log-probabilities of magnitude < 5: a few float ulps (2^-21 each) is ~2e-6.
        for (int i = 0; i < 4; i++) assertEquals(want[i], top[i], 2e-6, "top " + i);
    }

    private static Map<String, Npy.Array> npz(Path p) throws IOException {
        Map<String, Npy.Array> m = new HashMap<>();
        try (InputStream is = Files.newInputStream(p); ZipInputStream zip = new ZipInputStream(is)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                m.put(e.getName().replace(".npy", ""), Npy.decode(zip.readAllBytes(), e.getName()));
            }
        }
        return m;
    }

    @Test
    void sampleErrorsAreOneLineAndWriteNothing() throws IOException {
        String in = save("x.npy", Npy.Array.of(x, 3, 4)).toString();
        Path out = dir.resolve("t.npy");
        String o = out.toString();
        CliTest.fails(CliTest.run("sample", "--in", in, "--out", o, "--top-p", "1.5"), "topP");
        CliTest.fails(CliTest.run("sample", "--in", in, "--out", o, "--temperature", "-1"), "temperature");
        CliTest.fails(CliTest.run("sample", "--in", in, "--out", o, "--top-k", "-2"), "topK");
        CliTest.fails(CliTest.run("sample", "--in", in, "--out", o, "--step", "-1"), "step");
        CliTest.fails(CliTest.run("sample", "--in", in, "--out", o, "--logprobs", "2"), "--logprobs-out");
        CliTest.fails(CliTest.run("sample", "--in", in, "--out", o, "--logprobs", "9", "--logprobs-out",
                dir.resolve("lp.npz").toString()), "--logprobs");
        String badHist = save("h.npy", Npy.Array.of(new int[] {5, 0, 0}, 3, 1)).toString();
        CliTest.fails(CliTest.run("sample", "--in", in, "--out", o, "--history", badHist), "history");
        String wrongRows = save("h2.npy", Npy.Array.of(new int[] {0, 0}, 2, 1)).toString();
        CliTest.fails(CliTest.run("sample", "--in", in, "--out", o, "--history", wrongRows), "shape");
        String floats = save("h3.npy", Npy.Array.of(new float[] {0, 0, 0}, 3, 1)).toString();
        CliTest.fails(CliTest.run("sample", "--in", in, "--out", o, "--history", floats), "int32 or int64");
        CliTest.fails(CliTest.run("sample", "--in", in, "--out", in), "input");
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(dir.resolve("lp.npz")));
    }

    @Test
    void applyAttentionSoftmaxIsTheLibrarysCall() throws IOException {
        String in = save("s.npy", Npy.Array.of(x, 3, 4)).toString();
        float[] b = {0.5f, -1, 0, 2};
        String bias = save("b.npy", Npy.Array.of(b, 4)).toString();
        Path out = dir.resolve("y.npy");
        CliTest.Result r = CliTest.run("apply", "--op", "attention-softmax", "--in", in, "--out", out.toString(),
                "--scale", "0.5", "--causal-offset", "1", "--window", "2", "--bias", bias);
        assertEquals(0, r.code(), r.err());
        float[] want = new float[12];
        Attention.get().softmax(Batch.of(x, 3, 4), Batch.of(b, 1, 4), Batch.of(want, 3, 4), 0.5,
                AttentionMask.causal(1).window(2));
        assertArrayEquals(want, (float[]) Npy.read(out).data());
        assertEquals(0f, want[2], "masked: exactly 0");
        CliTest.Result plain = CliTest.run("apply", "--op", "attention-softmax", "--in", in, "--out", out.toString());
        assertEquals(0, plain.code(), plain.err());
        Softmax.get().softmax(Batch.of(x, 3, 4), Batch.of(want, 3, 4));
        assertArrayEquals(want, (float[]) Npy.read(out).data(), "no mask, scale 1: the softmax");
    }

    @Test
    void applyAttentionErrorsAreOneLine() throws IOException {
        String in = save("s.npy", Npy.Array.of(x, 3, 4)).toString();
        String o = dir.resolve("y.npy").toString();
        CliTest.fails(CliTest.run("apply", "--op", "attention-softmax", "--in", in, "--out", o, "--window", "2"),
                "--causal-offset");
        CliTest.fails(CliTest.run("apply", "--op", "attention-softmax", "--in", in, "--out", o, "--causal-offset", "0",
                "--window", "0"), "window");
        CliTest.fails(CliTest.run("apply", "--op", "attention-softmax", "--in", in, "--out", o, "--scale", "NaN"), "scale");
        CliTest.fails(CliTest.run("apply", "--op", "softmax", "--in", in, "--out", o, "--scale", "2"), "attention-softmax");
        String wide = save("w.npy", Npy.Array.of(new float[5], 5)).toString();
        CliTest.fails(CliTest.run("apply", "--op", "attention-softmax", "--in", in, "--out", o, "--bias", wide), "--bias");
        String dbl = save("d.npy", Npy.Array.of(new double[4], 4)).toString();
        CliTest.fails(CliTest.run("apply", "--op", "attention-softmax", "--in", in, "--out", o, "--bias", dbl), "dtype");
        assertFalse(Files.exists(dir.resolve("y.npy")));
    }
}
