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
 * to a few ulp, not exactly. The rows are long enough (64 × 1003) to be split over two threads
 * and to end in partial vectors.
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
        String x86 = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Random random = new Random(13);
        float[] xf = new float[ROWS * COLS];
        double[] xd = new double[ROWS * COLS];
        for (int i = 0; i < xf.length; i++) {
            xd[i] = random.nextGaussian() * 3;
            xf[i] = (float) (random.nextGaussian() * 3);
        }
        Path f32 = dir.resolve("x32.npy"), f64 = dir.resolve("x64.npy"), v64 = dir.resolve("v64.npy");
        Npy.write(f32, Npy.Array.of(xf, ROWS, COLS));
        Npy.write(f64, Npy.Array.of(xd, ROWS, COLS));
        double[] v = new double[ROWS * COLS];
        for (int i = 0; i < v.length; i++) v[i] = random.nextGaussian();
        Npy.write(v64, Npy.Array.of(v, ROWS, COLS));
        String[][] calls = {
                {"--op", "softmax", "--in", f32.toString()},
                {"--op", "log-softmax", "--in", f64.toString()},
                {"--op", "logsumexp", "--in", f32.toString(), "--temperature", "0.5"},
                {"--op", "jvp", "--in", f64.toString(), "--tangent", v64.toString(), "--alpha", "-2"},
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
