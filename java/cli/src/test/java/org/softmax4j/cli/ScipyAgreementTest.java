package org.softmax4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code apply} against SciPy's softmax, log_softmax and logsumexp, on random and edge inputs,
 * in float32 and float64, on the default backend. Runs where python3 with numpy and scipy is
 * installed (as on the build machines), and is skipped elsewhere. One known difference is
 * written into the check: for a row holding +∞, SciPy's log_softmax gives −∞ for the finite
 * entries, where the edge-case table of docs/mathematics.md and PyTorch give a NaN row; softmax4j follows
 * the table.
 */
class ScipyAgreementTest {
    @TempDir
    Path dir;

    private static boolean scipyAvailable() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import numpy, scipy.special").redirectErrorStream(true).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /**
     * The script writes the inputs, runs nothing itself, then after apply compares: NaN and
     * infinities must match exactly, finite values within float32 rtol 2e-6 / float64 1e-13
     * relative (plus the conditioning |x| term of log forms), as in the library's own tests.
     */
    private static final String MAKE = String.join("\n",
            "import numpy as np, sys",
            "d, dtype = sys.argv[1], sys.argv[2]",
            "rng = np.random.default_rng(7)",
            "x = (rng.standard_normal((257, 1003)) * 4).astype(dtype)",
            "x[0, :] = -np.inf",
            "x[1, 5] = np.inf",
            "x[2, 7] = np.nan",
            "x[3, :] = 1e30",
            "x[4, 3] = -np.inf",
            "x[5, :] = 0",
            "x[6, :] = rng.standard_normal(1003) * 1e4",
            "np.save(d + '/x.npy', x)",
            "np.save(d + '/v.npy', x[9])",
            "");

    private static final String CHECK = String.join("\n",
            "import numpy as np, sys, warnings, scipy.special as sp",
            "warnings.simplefilter('ignore')  # inf - inf inside SciPy on the edge rows",
            "d, op, dtype, t = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])",
            "f = {'softmax': lambda a: sp.softmax(a, axis=-1), 'log-softmax': lambda a: sp.log_softmax(a, axis=-1),",
            "     'logsumexp': lambda a: sp.logsumexp(a, axis=-1)}[op]",
            "for name in ('x', 'v'):",
            "    x = np.load(d + '/' + name + '.npy')",
            "    y = np.load(d + '/' + name + '-' + op + '.npy')",
            "    assert y.dtype == x.dtype, (y.dtype, x.dtype)",
            "    e = f(x.astype(np.float64) / t)",
            "    if op == 'log-softmax':  # SciPy gives -inf beside a +inf; the table (and PyTorch) say NaN row",
            "        e[np.isposinf(x).any(axis=-1)] = np.nan",
            "    assert y.shape == e.shape, (y.shape, e.shape)",
            "    rtol = 2e-6 if dtype == 'float32' else 1e-13",
            "    scale = 1 + np.abs(e) + (np.abs(np.log(np.maximum(e, 1e-300))) * e if op == 'softmax' else 0)",
            "    with np.errstate(invalid='ignore'):",
            "        ok = (np.isnan(e) & np.isnan(y)) | (e == y) | (np.abs(y - e) <= rtol * scale + 2 * np.finfo(x.dtype).tiny)",
            "    assert ok.all(), (op, name, np.argwhere(~ok)[:5], y[~ok][:5], e[~ok][:5])",
            "print('ok')",
            "");

    @ParameterizedTest(name = "{0} {1} tau={2}")
    @CsvSource({"softmax,float32,1", "log-softmax,float32,1", "logsumexp,float32,1",
            "softmax,float64,1", "log-softmax,float64,1", "logsumexp,float64,1",
            "softmax,float32,0.3", "logsumexp,float64,2.5"})
    void agreesWithScipy(String op, String dtype, String tau) throws Exception {
        assumeTrue(scipyAvailable(), "python3 with numpy and scipy is not installed");
        python(MAKE, dir.toString(), dtype);
        for (String name : new String[] {"x", "v"}) {
            CliTest.Result r = CliTest.run("apply", "--op", op, "--in", dir.resolve(name + ".npy").toString(),
                    "--out", dir.resolve(name + "-" + op + ".npy").toString(), "--temperature", tau);
            assertEquals(0, r.code(), r.err());
        }
        assertEquals("ok", python(CHECK, dir.toString(), op, dtype, tau).strip());
    }

    private static String python(String script, String... args) throws Exception {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "python3";
        cmd[1] = "-c";
        cmd[2] = script;
        System.arraycopy(args, 0, cmd, 3, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) throw new AssertionError("python failed: " + out);
        return out;
    }
}
