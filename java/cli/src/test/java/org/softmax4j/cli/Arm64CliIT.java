package org.softmax4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softmax4j.io.Npy;

/**
 * The shaded CLI jar on linux-arm64, under QEMU: {@code info} reports the native backend with
 * the neon kernels, and {@code apply} gives what the same jar gives on this x86-64 machine.
 * Run by Failsafe in the profile {@code test-linux-arm64} (CI), which names the arm64 launcher
 * ({@code softmax4j.test.java}, {@code .ci/qemu-arm64-jdk/bin/java}).
 *
 * <p>The two runs use different kernel sets (neon there, avx512 or avx2 here) whose exps agree
 * bit for bit (native/README.md); they differ in how the sums are grouped, so the outputs agree
 * to a few ulp, not exactly (the JVP, a difference that may cancel, to its forward-error bound).
 * The rows are long enough (64 × 1003) to be split over two threads and to end in partial vectors.
 */
class Arm64CliIT {
    private static final int ROWS = 64, COLS = 1003;

    @TempDir
    Path dir;

    private static String arm64Java() {
        String java = System.getProperty("softmax4j.test.java");
        assumeTrue(java != null, "no arm64 launcher given (softmax4j.test.java)");
        return java;
    }

    private record Run(int code, String out) {}

    private Run cli(String java, String... args) throws Exception {
        Path jar = Path.of(System.getProperty("softmax4j.test.cliJar", "target/softmax4j-cli.jar"));
        assertTrue(Files.isRegularFile(jar), "no shaded jar at " + jar.toAbsolutePath());
        List<String> cmd = new ArrayList<>(List.of(java,
                // Each platform's natives in a cache of this test's own.
                "-Dorg.bytedeco.javacpp.cachedir=" + dir.resolve("cache-" + Math.abs(java.hashCode())),
                "-jar", jar.toString()));
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "timed out: " + cmd);
        return new Run(p.exitValue(), out);
    }

    @Test
    void infoReportsNativeWithNeon() throws Exception {
        Run r = cli(arm64Java(), "info");
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("backend in use:    native"), r.out());
        assertTrue(r.out().contains("platform:          linux-arm64"), r.out());
        assertTrue(r.out().contains("kernels:           neon"), r.out());
        assertTrue(r.out().contains("org/softmax4j/bridge/linux-arm64") || r.out().contains("linux-arm64/libjnisoftmax4j.so"),
                r.out());
    }

    @Test
    void applyAgreesWithX86() throws Exception {
        String arm64 = arm64Java();
        String x86 = x86Java();
        Random random = new Random(13);
        float[] xf = new float[ROWS * COLS];
        double[] xd = new double[ROWS * COLS];
        for (int i = 0; i < xf.length; i++) {
            xd[i] = random.nextGaussian() * 3;
            xf[i] = (float) (random.nextGaussian() * 3);
        }
        Path f32 = dir.resolve("x32.npy"), f64 = dir.resolve("x64.npy");
        Npy.write(f32, Npy.Array.of(xf, ROWS, COLS));
        Npy.write(f64, Npy.Array.of(xd, ROWS, COLS));
        String[][] calls = {
                {"--op", "softmax", "--in", f32.toString()},
                {"--op", "log-softmax", "--in", f64.toString()},
                {"--op", "logsumexp", "--in", f32.toString(), "--temperature", "0.5"},
        };
        for (String[] call : calls) {
            Result x86Result = apply(x86, "x86", call), arm64Result = apply(arm64, "arm64", call);
            double[] here = x86Result.values(), there = arm64Result.values();
            assertEquals(here.length, there.length);
            int worst = 0;
            double worstUlps = 0;
            for (int i = 0; i < here.length; i++) {
                // Distance in ulps of the larger magnitude (of the element type: floats were
                // widened exactly), at least that of 1: log-softmax entries near 0 lose
                // relative but not absolute accuracy.
                double scale = Math.max(1, Math.max(Math.abs(here[i]), Math.abs(there[i])));
                double ulp = x86Result.isFloat() ? Math.ulp((float) scale) : Math.ulp(scale);
                double ulps = Math.abs(here[i] - there[i]) / ulp;
                if (!(ulps <= worstUlps)) {
                    worstUlps = ulps;
                    worst = i;
                }
            }
            System.out.printf("apply %s: max difference %.2f ulp (element %d: %s vs %s)%n", String.join(" ", call),
                    worstUlps, worst, here[worst], there[worst]);
            assertTrue(worstUlps <= 8, String.join(" ", call) + ": element " + worst + " is " + here[worst]
                    + " on x86-64, " + there[worst] + " on arm64 (" + worstUlps + " ulp)");
        }
    }

    /**
     * The JVP {@code J v = α y ⊙ (v − ⟨y, v⟩)}, y = softmax(α x), in float32 on both platforms,
     * each against a float64 reference computed here, within its forward-error bound
     * {@code |Δ(Jv)_i| ≤ c ε |α| y_i (|v_i| + Σ_j |y_j v_j|)}, ε = 2^-24.
     *
     * <p>An entry is a difference that may cancel (v_i ≈ ⟨y, v⟩), so ulps of the result are
     * no measure of it; the bound is in terms of what is summed. The constant, to first order
     * in ε, for the native route (jacobian.cpp softmax_jvp, the kernels of simd_kernels.hpp):
     * <ul>
     *   <li>d_j = α (x_j − m) is exact: x is on a grid of 2^-12 with |x| &lt; 2^5, so x_j − m
     *       needs at most 18 bits, and α = −2 is a power of two;
     *   <li>e_j = exp(d_j) within 2 ulp (the kernels' contract, native/README.md): 4ε;
     *   <li>S = Σ e_j: each term passes through at most 5 float additions (kFlushSteps = 4
     *       per lane, then two to join the kUnroll = 4 lanes; the tail fewer) before the sum
     *       goes on in double (n u_64 = 1003 · 2^-53, negligible): 5ε, with the e_j, 9ε;
     *   <li>y_i = e_i · float(1/S): 2 roundings, so y_i is within 4 + 9 + 2 = 15ε of its value;
     *   <li>s = float(dsdot(y, v)): products exact in double, the sum in double, one rounding
     *       to float: |Δs| ≤ (15 + 1)ε Σ_j |y_j v_j|;
     *   <li>α y_i (v_i − s): α y_i exact, then 2 roundings: 2ε (|v_i| + |s|).
     * </ul>
     * so |Δ(Jv)_i| ≤ |α| y_i (15ε (|v_i| + |s|) + 16ε Σ|y_j v_j| + 2ε (|v_i| + |s|)) ≤ 33ε B_i
     * with |s| ≤ Σ|y_j v_j|. c = 34 leaves one ε for second-order terms and the reference's own
     * error (about n u_64, 10^-5 ε). Float32, not float64: there every sum is carried in double,
     * so c does not grow with n; in float64 the sums (the kernels' and OpenBLAS's ddot) are
     * chains of up to n/8 additions, and c would be that long. The float64 JVP is checked
     * against the Java reference under QEMU by the core suite (profile test-linux-arm64).
     * A wrong JVP (sign, α, a missing term) is off by about B_i itself, 10^7 times the bound.
     */
    @Test
    void jvpWithinForwardErrorBound() throws Exception {
        String arm64 = arm64Java();
        String x86 = x86Java();
        final double c = 34, eps = 0x1p-24, alpha = -2;
        Random random = new Random(31);
        float[] x = new float[ROWS * COLS], v = new float[ROWS * COLS];
        for (int i = 0; i < x.length; i++) {
            // On a grid of 2^-12 (see above), clamped into |x| < 2^5.
            double g = Math.max(-31, Math.min(31, random.nextGaussian() * 3));
            x[i] = (float) (Math.rint(g * 4096) / 4096);
            v[i] = (float) random.nextGaussian();
        }
        Path xp = dir.resolve("jx32.npy"), vp = dir.resolve("jv32.npy");
        Npy.write(xp, Npy.Array.of(x, ROWS, COLS));
        Npy.write(vp, Npy.Array.of(v, ROWS, COLS));
        String[] call = {"--op", "jvp", "--in", xp.toString(), "--tangent", vp.toString(), "--alpha", "-2"};
        Result x86Result = apply(x86, "x86", call), arm64Result = apply(arm64, "arm64", call);
        assertTrue(x86Result.isFloat() && arm64Result.isFloat(), "float32 in, float32 out");

        // The reference in float64, and each entry's bound B_i = |α| y_i (|v_i| + Σ_j |y_j v_j|).
        double[] ref = new double[x.length], bound = new double[x.length];
        for (int r = 0; r < ROWS; r++) {
            int o = r * COLS;
            double m = Double.POSITIVE_INFINITY;
            for (int j = 0; j < COLS; j++) m = Math.min(m, x[o + j]);  // α < 0: the max of α x
            double[] y = new double[COLS];
            double sum = 0;
            for (int j = 0; j < COLS; j++) sum += y[j] = Math.exp(alpha * (x[o + j] - m));
            double s = 0, abs = 0;
            for (int j = 0; j < COLS; j++) {
                y[j] /= sum;
                s += y[j] * v[o + j];
                abs += Math.abs(y[j] * v[o + j]);
            }
            for (int j = 0; j < COLS; j++) {
                ref[o + j] = alpha * y[j] * (v[o + j] - s);
                bound[o + j] = c * eps * Math.abs(alpha) * y[j] * (Math.abs(v[o + j]) + abs);
            }
        }
        double[][] results = {x86Result.values(), arm64Result.values()};
        String[] names = {"x86-64", "arm64"};
        for (int p = 0; p < 2; p++) {
            double[] got = results[p];
            assertEquals(ref.length, got.length);
            int worst = 0;
            double worstRatio = 0;
            for (int i = 0; i < got.length; i++) {
                double ratio = Math.abs(got[i] - ref[i]) / bound[i];  // 1 = the bound; NaN fails
                if (!(ratio <= worstRatio)) {
                    worstRatio = ratio;
                    worst = i;
                }
            }
            System.out.printf("apply jvp float32 on %s: max error %.3f of the bound (c = %.0f), %.2f ε B (element %d: %s, reference %s)%n",
                    names[p], worstRatio, c, worstRatio * c, worst, got[worst], ref[worst]);
            assertTrue(worstRatio <= 1, "jvp on " + names[p] + ": element " + worst + " is " + got[worst]
                    + ", the float64 reference " + ref[worst] + ": " + worstRatio * c + " ε B, over c = " + c);
        }
    }

    private static String x86Java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private record Result(double[] values, boolean isFloat) {}

    private Result apply(String java, String tag, String... call) throws Exception {
        Path out = dir.resolve("out-" + tag + ".npy");
        List<String> args = new ArrayList<>(List.of("apply"));
        args.addAll(Arrays.asList(call));
        args.addAll(List.of("--out", out.toString()));
        Run r = cli(java, args.toArray(String[]::new));
        assertEquals(0, r.code(), tag + ": " + r.out());
        Object data = Npy.read(out).data();
        if (data instanceof double[] d) return new Result(d, false);
        float[] f = (float[]) data;
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return new Result(d, true);
    }
}
