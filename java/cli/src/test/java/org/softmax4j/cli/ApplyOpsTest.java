package org.softmax4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softmax4j.Batch;
import org.softmax4j.Gauge;
import org.softmax4j.Scale;
import org.softmax4j.Softmax;
import org.softmax4j.io.Npy;

/** The derivative and seed-property ops of {@code apply}: results equal the library's, errors are one line. */
class ApplyOpsTest {
    @TempDir
    Path dir;

    private final double[] x = {1, 2, 3, -1, 0, 0.5};
    private final double[] v = {0.3, -1, 2, 1, 1, -2};

    private Path save(String name, Npy.Array a) throws IOException {
        Path p = dir.resolve(name);
        Npy.write(p, a);
        return p;
    }

    private double[] apply(String... args) throws IOException {
        return (double[]) CliTest.apply(dir, args).data();
    }

    @Test
    void eachOpIsTheLibrarysCall() throws IOException {
        Softmax s = Softmax.get();
        String in = save("x.npy", Npy.Array.of(x, 2, 3)).toString();
        String vt = save("v.npy", Npy.Array.of(v, 2, 3)).toString();
        double[] e = new double[2 * 3 * 3];
        s.jacobian(Softmax.From.LOGITS, Batch.of(x, 2, 3), Batch.of(e, 2, (3) * (3)), Scale.alpha(-0.5));
        assertArrayEquals(e, apply("--op", "jacobian", "--in", in, "--alpha", "-0.5"));
        double[] f = new double[6];
        s.softmaxJvp(Softmax.From.LOGITS, Batch.of(x, 2, 3), Batch.of(v, 2, 3), Batch.of(f, 2, 3), Scale.temperature(2));
        assertArrayEquals(f, apply("--op", "jvp", "--in", in, "--tangent", vt, "--temperature", "2"));
        s.logSoftmaxVjp(Softmax.From.LOGITS, Batch.of(x, 2, 3), Batch.of(v, 2, 3), Batch.of(f, 2, 3), Scale.ONE);
        assertArrayEquals(f, apply("--op", "log-softmax-vjp", "--in", in, "--cotangent", vt));
        s.sigmoid(Batch.of(x, 2, 3), Batch.of(f, 2, 3), Scale.ONE);
        assertArrayEquals(f, apply("--op", "sigmoid", "--in", in));
        double[] p = {0.2, 0.3, 0.5, 0.1, 0.1, 0.8};
        String pin = save("p.npy", Npy.Array.of(p, 2, 3)).toString();
        s.inverse(Batch.of(p, 2, 3), Batch.of(f, 2, 3), Gauge.pinned(1), Scale.ONE);
        assertArrayEquals(f, apply("--op", "inverse", "--in", pin, "--gauge", "pin:1"));
        boolean[] keep = {true, false, true, false, false, false};
        String m = save("m.npy", Npy.Array.of(keep, 2, 3)).toString();
        s.maskedSoftmax(Batch.of(x, 2, 3), Batch.of(keep, 2, 3), Batch.of(f, 2, 3), Scale.ONE);
        assertArrayEquals(f, apply("--op", "masked-softmax", "--in", in, "--mask", m));
        assertEquals(0.0, f[3]); // a fully masked row is 0, not NaN
        // combine: the product of S(x) and S(v) is S(x + v).
        String sx = save("sx.npy", Npy.Array.of(apply("--op", "softmax", "--in", in), 2, 3)).toString();
        String sv = save("sv.npy", Npy.Array.of(apply("--op", "softmax", "--in", vt), 2, 3)).toString();
        double[] sum = new double[6];
        for (int i = 0; i < 6; i++) sum[i] = x[i] + v[i];
        s.softmax(Batch.of(sum, 2, 3), Batch.of(f, 2, 3));
        assertArrayEquals(f, apply("--op", "combine", "--in", sx, "--in", sv, "--weights", "1,1"), 1e-15);
    }

    @Test
    void badCombinationsFailInOneLine() throws IOException {
        String in = save("x.npy", Npy.Array.of(x, 2, 3)).toString();
        String other = save("f.npy", Npy.Array.of(new float[6], 2, 3)).toString();
        String wide = save("w.npy", Npy.Array.of(new double[8], 2, 4)).toString();
        Path out = dir.resolve("y.npy");
        String o = out.toString();
        CliTest.fails(CliTest.run("apply", "--op", "jvp", "--in", in, "--out", o), "needs --tangent");
        CliTest.fails(CliTest.run("apply", "--op", "vjp", "--in", in, "--cotangent", other, "--out", o), "dtype float32 differs");
        CliTest.fails(CliTest.run("apply", "--op", "vjp", "--in", in, "--cotangent", wide, "--out", o), "shape (2, 4) differs");
        CliTest.fails(CliTest.run("apply", "--op", "masked-softmax", "--in", in, "--mask", in, "--out", o), "bool expected");
        CliTest.fails(CliTest.run("apply", "--op", "softmax", "--in", in, "--alpha", "2", "--temperature", "1", "--out", o), "exclusive");
        CliTest.fails(CliTest.run("apply", "--op", "inverse", "--in", in, "--gauge", "pin:x", "--out", o), "--gauge");
        CliTest.fails(CliTest.run("apply", "--op", "combine", "--in", in, "--in", in, "--weights", "1", "--out", o), "--weights");
        CliTest.fails(CliTest.run("apply", "--op", "softmax", "--in", in, "--in", in, "--out", o), "only combine");
        assertFalse(Files.exists(out));
    }
}
