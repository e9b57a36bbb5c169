package org.softmax4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code apply}'s derivatives against PyTorch autograd on random inputs: the Jacobian of
 * x ↦ softmax(αx) (torch.autograd.functional.jacobian), its product with a tangent (jvp) and a
 * cotangent's product with it (vjp), and log-softmax's vjp. Runs where Debian's python3-torch
 * is installed for /usr/bin/python3 (apt-get install python3-torch), and is skipped elsewhere.
 */
class TorchAgreementTest {
    @TempDir
    Path dir;

    private static final String PYTHON = "/usr/bin/python3";

    private static boolean torchAvailable() {
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import torch, numpy").redirectErrorStream(true).start();
            return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static final String MAKE = String.join("\n",
            "import numpy as np, sys",
            "d, dtype = sys.argv[1], sys.argv[2]",
            "rng = np.random.default_rng(11)",
            "for name in ('x', 'v', 'g'):",
            "    np.save(d + '/' + name + '.npy', (rng.standard_normal((17, 23)) * 3).astype(dtype))",
            "");

    /** float64 through autograd in float64: agreement to 1e-12 relative to the row's scale. */
    private static final String CHECK = String.join("\n",
            "import numpy as np, sys, torch",
            "d, op, alpha, dtype = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]",
            "x = torch.tensor(np.load(d + '/x.npy'), dtype=torch.float64)",
            "v = torch.tensor(np.load(d + '/v.npy'), dtype=torch.float64)",
            "g = torch.tensor(np.load(d + '/g.npy'), dtype=torch.float64)",
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

    @ParameterizedTest(name = "{0} alpha={1} {2}")
    @CsvSource({"jacobian,1,float64", "jvp,1,float64", "vjp,1,float64", "log-softmax-vjp,1,float64",
            "jacobian,-0.7,float64", "vjp,2.5,float64", "jvp,1,float32", "vjp,1,float32"})
    void agreesWithAutograd(String op, String alpha, String dtype) throws Exception {
        assumeTrue(torchAvailable(), "/usr/bin/python3 with torch is not installed");
        python(MAKE, dir.toString(), dtype);
        String extra = op.equals("jvp") ? "--tangent" : "--cotangent";
        String file = op.equals("jvp") ? "v.npy" : "g.npy";
        CliTest.Result r = op.equals("jacobian")
                ? CliTest.run("apply", "--op", op, "--in", dir.resolve("x.npy").toString(), "--out",
                        dir.resolve("out.npy").toString(), "--alpha", alpha)
                : CliTest.run("apply", "--op", op, "--in", dir.resolve("x.npy").toString(), extra,
                        dir.resolve(file).toString(), "--out", dir.resolve("out.npy").toString(), "--alpha", alpha);
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
