package org.softmax4j.regression;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

import org.softmax4j.Batch;
import org.softmax4j.backend.Checks;
import org.softmax4j.internal.AtomicFiles;
import org.softmax4j.io.Npy;

/**
 * The model file: a NumPy {@code .npz} archive, so that {@code numpy.load} reads it as it is.
 *
 * <h2>Format (version 1)</h2>
 * A ZIP archive (entries deflated) holding {@code .npy} files (NumPy format 1.0: the magic
 * {@code \x93NUMPY}, version bytes 1 0, a little-endian 16-bit header length, a header that is a
 * Python dict literal padded with spaces to a multiple of 64 bytes and ended by a newline, then
 * the raw data in C order):
 * <table class="striped">
 *   <caption>Entries</caption>
 *   <thead><tr><th>entry</th><th>dtype</th><th>shape</th><th>what</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@code weights.npy}</td><td>{@code <f8}</td><td>(k, d)</td><td>W, row j the weights of class j</td></tr>
 *   <tr><td>{@code bias.npy}</td><td>{@code <f8}</td><td>(k,)</td><td>b</td></tr>
 *   <tr><td>{@code format.npy}</td><td>{@code <i4}</td><td>()</td><td>1, the format version</td></tr>
 *   </tbody>
 * </table>
 * In Python: {@code m = numpy.load("model.npz"); p = scipy.special.softmax(X @ m["weights"].T + m["bias"], axis=1)}.
 * The entries are read and written by {@link Npy}. The reader also takes float32, integer or
 * big-endian data, an archive without {@code format.npy} (e.g.
 * one written by {@code numpy.savez(f, weights=W, bias=b)}) and ignores other entries; it rejects
 * Fortran order, a shape mismatch, non-finite values and any other version, naming the problem.
 */
public final class ModelFile {
    private ModelFile() {}

    /** The version this code writes and reads. */
    public static final int VERSION = 1;

    static final String WEIGHTS = "weights.npy";
    static final String BIAS = "bias.npy";
    static final String FORMAT = "format.npy";

        /** What a file holds. */
    record Model(int classes, int features, double[] weights, double[] bias) {}

    /**
     * Writes the model complete or not at all, readable like any new file (or with the
     * permissions of the file it replaces), through {@code AtomicFiles.write}.
     */
    static void save(Path file, int classes, int features, double[] weights, double[] bias)
            throws IOException {
        Map<String, Npy.Array> entries = new LinkedHashMap<>();
        entries.put(name(WEIGHTS), Npy.Array.of(weights, classes, features));
        entries.put(name(BIAS), Npy.Array.of(bias, classes));
        entries.put(name(FORMAT), Npy.Array.of(new int[] {VERSION}));
        Npy.writeNpz(file, entries);
    }

    /** An entry's array name: its file name without ".npy". */
    private static String name(String entry) {
        return entry.substring(0, entry.length() - ".npy".length());
    }

    /** Reads and checks a model file. */
    static Model load(Path file) throws IOException {
        Map<String, Npy.Array> entries = new HashMap<>();
        try (InputStream is = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(is)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                String name = e.getName();
                if (name.equals(WEIGHTS) || name.equals(BIAS) || name.equals(FORMAT)) {
                    entries.put(name, Npy.decode(zip.readAllBytes(), file + ": " + name));
                }
            }
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        } catch (ZipException | EOFException | IllegalArgumentException e) {
            // A damaged archive: a bad entry, a deflate stream that ends early (EOFException), an
            // entry name that is not UTF-8 (ZipInputStream's IllegalArgumentException). The
            // message names the file, as every other failure to read it does.
            throw new IOException(file + ": not a .npz model file (" + e.getMessage() + ")", e);
        }
        if (entries.isEmpty()) throw new IOException(file + ": not a .npz model file (no weights.npy or bias.npy)");
        Npy.Array version = entries.get(FORMAT);
        if (version != null) {
            double[] v = numbers(file, FORMAT, version);
            if (v.length != 1 || v[0] != VERSION) {
                throw new IOException(file + ": format version " + (v.length == 1 ? String.valueOf((long) v[0])
                        : version.shapeString() + " array") + " is not supported (this is version " + VERSION + ")");
            }
        }
        Npy.Array w = entries.get(WEIGHTS);
        Npy.Array b = entries.get(BIAS);
        if (w == null) throw new IOException(file + ": no " + WEIGHTS);
        if (b == null) throw new IOException(file + ": no " + BIAS);
        int[] ws = w.shape();
        if (ws.length != 2) throw new IOException(file + ": weights must be 2-D (classes, features), got shape " + w.shapeString());
        if (b.ndim() != 1 || b.shape()[0] != ws[0]) {
            throw new IOException(file + ": bias must have shape (" + ws[0] + ",) for weights of shape "
                    + w.shapeString() + ", got " + b.shapeString());
        }
        double[] weights = numbers(file, WEIGHTS, w);
        double[] bias = numbers(file, BIAS, b);
        try {
            Checks.model(Batch.of(weights, ws[0], ws[1]), Batch.of(bias, 1, ws[0]));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        return new Model(ws[0], ws[1], weights, bias);
    }

    private static double[] numbers(Path file, String name, Npy.Array a) throws IOException {
        if (a.dtype() == Npy.DType.BOOL) throw new IOException(file + ": " + name + ": unsupported dtype bool (numbers expected)");
        return a.toDoubles();
    }
}
