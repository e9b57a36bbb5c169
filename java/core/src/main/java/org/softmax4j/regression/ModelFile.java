package org.softmax4j.regression;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

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
 * The reader also takes float32 or big-endian data, an archive without {@code format.npy} (e.g.
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

    /** Writes the model atomically: a temporary file in the same folder, then a move. */
    static void save(Path file, int classes, int features, double[] weights, double[] bias)
            throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(os)) {
                entry(zip, WEIGHTS, npy("<f8", new int[] {classes, features}, doubles(weights)));
                entry(zip, BIAS, npy("<f8", new int[] {classes}, doubles(bias)));
                ByteBuffer v = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(VERSION);
                entry(zip, FORMAT, npy("<i4", new int[0], v.array()));
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Reads and checks a model file. */
    static Model load(Path file) throws IOException {
        Map<String, Array> entries = new HashMap<>();
        try (InputStream is = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(is)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                String name = e.getName();
                if (name.equals(WEIGHTS) || name.equals(BIAS) || name.equals(FORMAT)) {
                    entries.put(name, parse(file, name, zip.readAllBytes()));
                }
            }
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        } catch (ZipException e) {
            throw new IOException(file + ": not a .npz model file (" + e.getMessage() + ")", e);
        }
        if (entries.isEmpty()) throw new IOException(file + ": not a .npz model file (no weights.npy or bias.npy)");
        Array version = entries.get(FORMAT);
        if (version != null && (version.values.length != 1 || version.values[0] != VERSION)) {
            throw new IOException(file + ": format version " + Arrays.toString(version.values)
                    + " is not supported (this is version " + VERSION + ")");
        }
        Array w = entries.get(WEIGHTS);
        Array b = entries.get(BIAS);
        if (w == null) throw new IOException(file + ": no " + WEIGHTS);
        if (b == null) throw new IOException(file + ": no " + BIAS);
        if (w.shape.length != 2) throw new IOException(file + ": weights must be 2-D (classes, features), got shape " + shape(w.shape));
        if (b.shape.length != 1 || b.shape[0] != w.shape[0]) {
            throw new IOException(file + ": bias must have shape (" + w.shape[0] + ",) for weights of shape "
                    + shape(w.shape) + ", got " + shape(b.shape));
        }
        try {
            HeadChecks.model(w.shape[0], w.shape[1], w.values, b.values);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        return new Model(w.shape[0], w.shape[1], w.values, b.values);
    }

    // ---------------------------------------------------------------- .npy

    private record Array(int[] shape, double[] values) {}

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([fi])(\\d)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private static void entry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private static byte[] doubles(double[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(values);
        return b.array();
    }

    /** A format 1.0 .npy file of raw little-endian data. */
    private static byte[] npy(String descr, int[] shape, byte[] data) {
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape(shape) + ", }";
        int unpadded = 10 + header.length() + 1;
        header = header + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer out = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        out.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        return out.array();
    }

    private static Array parse(Path file, String name, byte[] bytes) throws IOException {
        String where = file + ": " + name;
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
            throw new IOException(where + " is not a .npy file");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int major = bytes[6];
        long headerLength;
        int start;
        if (major == 1) {
            headerLength = b.getShort(8) & 0xffff;
            start = 10;
        } else if ((major == 2 || major == 3) && bytes.length >= 12) {
            headerLength = b.getInt(8) & 0xffffffffL;
            start = 12;
        } else {
            throw new IOException(where + ": unsupported .npy version " + major);
        }
        if (start + headerLength > bytes.length) throw new IOException(where + ": truncated header");
        String header = new String(bytes, start, (int) headerLength, StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shapeM = SHAPE.matcher(header);
        if (!descr.find() || !fortran.find() || !shapeM.find()) {
            throw new IOException(where + ": unsupported dtype or malformed header: " + header.strip());
        }
        char kind = descr.group(2).charAt(0);
        int size = Integer.parseInt(descr.group(3));
        if (size != 4 && size != 8) {
            throw new IOException(where + ": unsupported dtype " + descr.group(1) + kind + size);
        }
        int[] shape = parseShape(where, shapeM.group(1));
        if (fortran.group(1).equals("True") && shape.length > 1) {
            throw new IOException(where + ": Fortran order is not supported");
        }
        long count = 1;
        for (int d : shape) count = Math.multiplyExact(count, d);
        long dataStart = start + headerLength;
        if (bytes.length - dataStart != count * size) {
            throw new IOException(where + ": shape " + shape(shape) + " needs " + count * size
                    + " bytes of data, found " + (bytes.length - dataStart));
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, (int) dataStart, (int) (count * size)).slice()
                .order(descr.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        double[] values = new double[(int) count];
        for (int i = 0; i < values.length; i++) {
            values[i] = kind == 'f'
                    ? (size == 8 ? data.getDouble(i * 8) : data.getFloat(i * 4))
                    : (size == 8 ? data.getLong(i * 8) : data.getInt(i * 4));
        }
        return new Array(shape, values);
    }

    private static int[] parseShape(String where, String literal) throws IOException {
        String body = literal.strip();
        if (body.isEmpty()) return new int[0];
        String[] parts = body.split(",");
        int n = parts[parts.length - 1].isBlank() ? parts.length - 1 : parts.length;
        int[] shape = new int[n];
        for (int i = 0; i < n; i++) {
            try {
                shape[i] = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new IOException(where + ": malformed shape (" + literal + ")");
            }
            if (shape[i] < 0) throw new IOException(where + ": negative dimension in shape (" + literal + ")");
        }
        return shape;
    }

    private static String shape(int[] shape) {
        if (shape.length == 1) return "(" + shape[0] + ",)";
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) sb.append(i == 0 ? "" : ", ").append(shape[i]);
        return sb.append(")").toString();
    }
}
