package org.softmax4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.softmax4j.io.Npy;

/**
 * {@code apply}'s derivatives against PyTorch autograd: the Jacobian of x ↦ softmax(αx)
 * (torch.autograd.functional.jacobian), its product with a tangent (jvp), a cotangent's product
 * with it (vjp), and log-softmax's vjp.
 *
 * <p>Everywhere, against golden files that torch made ({@code src/test/resources/.../torch/}:
 * inputs, expected outputs, {@code cases.csv}, and {@code generate.py}, which made them), on both
 * backends. Where Debian's python3-torch is installed for /usr/bin/python3 (apt-get install
 * python3-torch), also live, on fresh random inputs, and the golden files are checked to be what
 * {@code generate.py} makes with that torch.
 */
class TorchAgreementTest {
    @TempDir
    Path dir;

    private static final String PYTHON = "/usr/bin/python3";
    private static final String GOLDEN = "/org/softmax4j/cli/torch/";

    private static boolean torchAvailable() {
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import torch, numpy").redirectErrorStream(true).start();
            return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** The cases, as generate.py lists them in cases.csv: op, alpha, dtype. */
    static List<String[]> cases() throws IOException {
        List<String[]> cases = new ArrayList<>();
        for (String line : golden("cases.csv").split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) cases.add(line.strip().split(","));
        }
        return cases;
    }

    static Stream<Arguments> goldenCases() throws IOException {
        return cases().stream().flatMap(c -> Stream.of("native", "java")
                .map(backend -> Arguments.of(c[0], c[1], c[2], backend)));
    }

    static Stream<Arguments> liveCases() throws IOException {
        return cases().stream().map(c -> Arguments.of(c[0], c[1], c[2]));
    }

    private static String golden(String name) throws IOException {
        return new String(goldenBytes(name), StandardCharsets.UTF_8);
    }

    private static byte[] goldenBytes(String name) throws IOException {
        try (InputStream in = TorchAgreementTest.class.getResourceAsStream(GOLDEN + name)) {
            assertTrue(in != null, "missing golden file " + name);
            return in.readAllBytes();
        }
    }

    /** The same bound as the live check: 1e-12 (float64) or 2e-5 (float32) of 1 + max |e|. */
    private static void assertAgrees(Npy.Array expected, Npy.Array actual, String dtype, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        assertEquals(dtype, actual.dtype().numpyName(), what + ": dtype");
        double[] e = expected.toDoubles();
        double[] y = actual.toDoubles();
        double scale = 1;
        for (double v : e) scale = Math.max(scale, 1 + Math.abs(v));
        double tol = (dtype.equals("float64") ? 1e-12 : 2e-5) * scale;
        for (int i = 0; i < e.length; i++) {
            int at = i;
            assertTrue(Math.abs(y[i] - e[i]) <= tol,
                    () -> what + ": element " + at + " is " + y[at] + ", torch " + e[at]);
        }
    }

    private CliTest.Result apply(String op, String alpha, String dtype, String... more) {
        String tangent = op.equals("jvp") ? "--tangent" : "--cotangent";
        String second = (op.equals("jvp") ? "v-" : "g-") + dtype + ".npy";
        List<String> args = new ArrayList<>(List.of("apply", "--op", op,
                "--in", dir.resolve("x-" + dtype + ".npy").toString(),
                "--out", dir.resolve("out.npy").toString(), "--alpha", alpha));
        if (!op.equals("jacobian")) args.addAll(List.of(tangent, dir.resolve(second).toString()));
        args.addAll(List.of(more));
        return CliTest.run(args.toArray(String[]::new));
    }

    @ParameterizedTest(name = "{0} alpha={1} {2} {3}")
    @MethodSource("goldenCases")
    void agreesWithTorchsGoldenFiles(String op, String alpha, String dtype, String backend) throws Exception {
        for (String name : new String[] {"x", "v", "g"}) {
            Files.write(dir.resolve(name + "-" + dtype + ".npy"), goldenBytes(name + "-" + dtype + ".npy"));
        }
        CliTest.Result r = apply(op, alpha, dtype, "--backend", backend);
        assertEquals(0, r.code(), r.err());
        Npy.Array expected = Npy.decode(goldenBytes(op + "_" + alpha + "_" + dtype + ".npy"), "golden");
        assertAgrees(expected, Npy.read(dir.resolve("out.npy")), dtype, op + " alpha=" + alpha);
    }

    @Test
    void goldenFilesAreWhatGenerateMakesWithThisTorch() throws Exception {
        assumeTrue(torchAvailable(), "/usr/bin/python3 with torch is not installed");
        Path script = dir.resolve("generate.py");
        Files.write(script, goldenBytes("generate.py"));
        Path out = dir.resolve("regenerated");
        python(Files.readString(script), out.toString());
        for (String[] c : cases()) {
            String name = c[0] + "_" + c[1] + "_" + c[2] + ".npy";
            assertAgrees(Npy.decode(goldenBytes(name), "golden"), Npy.read(out.resolve(name)), "float64", name);
        }
        for (String input : new String[] {"x-float64", "v-float32", "g-float64"}) {
            assertArrayEquals(goldenBytes(input + ".npy"), Files.readAllBytes(out.resolve(input + ".npy")), input);
        }
    }

    private static final String MAKE = String.join("\n",
            "import numpy as np, sys",
            "d, dtype = sys.argv[1], sys.argv[2]",
            "rng = np.random.default_rng(12)",
            "for name in ('x', 'v', 'g'):",
            "    np.save(d + '/' + name + '-' + dtype + '.npy', (rng.standard_normal((17, 23)) * 3).astype(dtype))",
            "");

    /** float64 through autograd in float64: agreement to 1e-12 relative to the row's scale. */
    private static final String CHECK = String.join("\n",
            "import numpy as np, sys, torch",
            "d, op, alpha, dtype = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]",
            "x = torch.tensor(np.load(d + '/x-' + dtype + '.npy'), dtype=torch.float64)",
            "v = torch.tensor(np.load(d + '/v-' + dtype + '.npy'), dtype=torch.float64)",
            "g = torch.tensor(np.load(d + '/g-' + dtype + '.npy'), dtype=torch.float64)",
            "y = np.load(d + '/out.npy')",
            "f = lambda t: torch.softmax(alpha * t, dim=-1)",
            "if op == 'jacobian':",
            "    e = torch.stack([torch.autograd.functional.jacobian(f, x[r]) for r in range(x.shape[0])])",
            "elif op == 'jvp':",
            "    e = torch.autograd.functional.jvp(f, x, v)[1]",
            "elif op == 'vjp':",
            "    e = torch.autograd.functional.vjp(f, x, g)[1]",
            "else:",
            "    e = torch.autograd.functional.vjp(lambda t: torch.log_softmax(alpha * t, dim=-1), x, g)[1]",
            "e = e.numpy()",
            "assert y.shape == e.shape, (y.shape, e.shape)",
            "tol = 1e-12 if dtype == 'float64' else 2e-5",
            "scale = 1 + np.abs(e).max()",
            "assert np.abs(y - e).max() <= tol * scale, (op, np.abs(y - e).max())",
            "print('ok')",
            "");

    @ParameterizedTest(name = "live {0} alpha={1} {2}")
    @MethodSource("liveCases")
    void agreesWithAutogradLive(String op, String alpha, String dtype) throws Exception {
        assumeTrue(torchAvailable(), "/usr/bin/python3 with torch is not installed");
        python(MAKE, dir.toString(), dtype);
        CliTest.Result r = apply(op, alpha, dtype);
        assertEquals(0, r.code(), r.err());
        assertEquals("ok", python(CHECK, dir.toString(), op, alpha, dtype).strip());
    }

    private static String python(String script, String... args) throws Exception {
        String[] cmd = new String[args.length + 3];
        cmd[0] = PYTHON;
        cmd[1] = "-c";
        cmd[2] = script;
        System.arraycopy(args, 0, cmd, 3, args.length);
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) throw new AssertionError("python failed: " + out + err);
        return out;
    }
}
