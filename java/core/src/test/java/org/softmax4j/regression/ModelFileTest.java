package org.softmax4j.regression;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softmax4j.Batch;
import org.softmax4j.Softmax;

/** Saving and loading: round trips, NumPy interoperability, and every rejected file. */
class ModelFileTest {
    @TempDir
    Path dir;

    @Test
    void roundTripKeepsEveryBitAndThePredictions() throws IOException {
        SoftmaxClassifier m = Backends.random(5, 7, 9, Softmax.get());
        Path f = dir.resolve("m.npz");
        m.save(f);
        m.save(f); // replacing works too
        try (SoftmaxClassifier back = SoftmaxClassifier.load(f); SoftmaxClassifier java = SoftmaxClassifier.load(f, Softmax.java())) {
            assertEquals(7, back.classes());
            assertEquals(9, back.features());
            assertArrayEquals(m.weights(), back.weights());
            assertArrayEquals(m.bias(), back.bias());
            assertEquals(Softmax.Backend.JAVA, java.backend().backend());
            double[] x = Backends.gaussian(6, 20 * 9, 1);
            assertArrayEquals(m.predict(Batch.of(x, 20, 9)), back.predict(Batch.of(x, 20, 9)));
        }
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left");
        }
        m.close();
    }

    private static boolean numpy() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String python(String script, String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "python3";
        cmd[1] = "-c";
        cmd[2] = script;
        System.arraycopy(args, 0, cmd, 3, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python timed out");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** Where python3 with NumPy is installed: numpy.load reads our file, and we read numpy.savez's. */
    @Test
    void numpyReadsAndWritesTheFormat() throws Exception {
        assumeTrue(numpy(), "python3 with numpy not available");
        SoftmaxClassifier m = Backends.random(8, 3, 4, Softmax.java());
        Path ours = dir.resolve("ours.npz");
        m.save(ours);
        String sums = python("import numpy as np, sys; z = np.load(sys.argv[1]); "
                + "assert z['weights'].shape == (3, 4) and z['bias'].shape == (3,) and int(z['format']) == 1; "
                + "print(repr(float(z['weights'].sum())), repr(float(z['bias'][2])))", ours.toString());
        double w = 0;
        for (double v : m.weights()) w += v;
        String[] parts = sums.split(" ");
        assertEquals(w, Double.parseDouble(parts[0]), 1e-12);
        assertEquals(m.bias()[2], Double.parseDouble(parts[1]));
        Path theirs = dir.resolve("theirs.npz");
        python("import numpy as np, sys; np.savez(sys.argv[1], weights=np.arange(6.0).reshape(2, 3).astype(np.float32), "
                + "bias=np.array([0.5, -1.0]), other=np.zeros(2))", theirs.toString());
        try (SoftmaxClassifier t = SoftmaxClassifier.load(theirs, Softmax.java())) {
            assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5}, t.weights());
            assertArrayEquals(new double[] {0.5, -1}, t.bias());
        }
    }

    private Path zip(String name, String[] entries, byte[][] contents) throws IOException {
        Path f = dir.resolve(name);
        try (OutputStream os = Files.newOutputStream(f); ZipOutputStream z = new ZipOutputStream(os)) {
            for (int i = 0; i < entries.length; i++) {
                z.putNextEntry(new ZipEntry(entries[i]));
                z.write(contents[i]);
                z.closeEntry();
            }
        }
        return f;
    }

    private static byte[] npy(String descr, String shape, int dataBytes) {
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }\n";
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(10 + header.length() + dataBytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        return b.array();
    }

    private void rejected(Path f, String mention) {
        IOException e = assertThrows(IOException.class, () -> SoftmaxClassifier.load(f, Softmax.java()));
        assertTrue(e.getMessage().contains(mention), () -> "should mention '" + mention + "': " + e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line");
    }

    @Test
    void badFilesAreRejectedWithTheReason() throws IOException {
        rejected(dir.resolve("missing.npz"), "no such file");
        Path garbage = dir.resolve("garbage.npz");
        Files.writeString(garbage, "not a zip at all");
        rejected(garbage, "not a .npz model file");
        byte[] w = npy("<f8", "(2, 3)", 48);
        byte[] b = npy("<f8", "(2,)", 16);
        rejected(zip("nobias.npz", new String[] {"weights.npy"}, new byte[][] {w}), "no bias.npy");
        rejected(zip("noweights.npz", new String[] {"bias.npy"}, new byte[][] {b}), "no weights.npy");
        rejected(zip("shape.npz", new String[] {"weights.npy", "bias.npy"}, new byte[][] {w, npy("<f8", "(3,)", 24)}),
                "bias must have shape (2,)");
        rejected(zip("1d.npz", new String[] {"weights.npy", "bias.npy"}, new byte[][] {npy("<f8", "(6,)", 48), b}),
                "weights must be 2-D");
        rejected(zip("trunc.npz", new String[] {"weights.npy", "bias.npy"}, new byte[][] {npy("<f8", "(2, 3)", 40), b}),
                "needs 48 bytes");
        rejected(zip("dtype.npz", new String[] {"weights.npy", "bias.npy"}, new byte[][] {npy("<c16", "(2, 3)", 96), b}),
                "unsupported dtype");
        byte[] v2 = npy("<i4", "()", 4);
        v2[v2.length - 4] = 2;
        rejected(zip("version.npz", new String[] {"weights.npy", "bias.npy", "format.npy"}, new byte[][] {w, b, v2}),
                "format version 2 is not supported");
        byte[] nan = npy("<f8", "(2,)", 16);
        java.nio.ByteBuffer.wrap(nan).order(java.nio.ByteOrder.LITTLE_ENDIAN).putDouble(nan.length - 8, Double.NaN);
        rejected(zip("nan.npz", new String[] {"weights.npy", "bias.npy"}, new byte[][] {w, nan}), "bias[1] must be finite");
        rejected(zip("empty.npz", new String[] {"readme.txt"}, new byte[][] {new byte[3]}), "not a .npz model file");
    }

    /** A saved model reads like any new file (it was once left at a temporary file's 0600). */
    @Test
    void savedModelsAreReadableLikeAnyNewFile() throws IOException {
        Path f = dir.resolve("perm.npz");
        Backends.random(1, 2, 2, Softmax.java()).save(f);
        if (Files.getFileStore(f).supportsFileAttributeView("posix")) {
            assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        }
    }

    @Test
    void saveToAMissingFolderFailsAndLeavesNothing() {
        SoftmaxClassifier m = Backends.random(1, 2, 2, Softmax.java());
        assertThrows(IOException.class, () -> m.save(dir.resolve("no/such/m.npz")));
    }
}
