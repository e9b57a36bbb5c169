package org.softmax4j.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1.0 to 3.0) holding float32,
 * float64 or bool arrays in C order.
 *
 * <p>Written here rather than taken from a library because the CLI's contract is about the
 * failures: a Fortran-ordered array, a truncated file or an unsupported dtype must each be named
 * in one line, and the readers on Maven Central either do not report the array order or pull in
 * a language runtime. The format is small: a magic string, a version, a header that is a Python
 * dict literal, then the raw data (see numpy.lib.format).
 */
final class Npy {
    private Npy() {}

    /** Element types the CLI handles. */
    enum DType {
        FLOAT32("f4", 4), FLOAT64("f8", 8), BOOL("b1", 1);

        final String code;
        final int size;

        DType(String code, int size) {
            this.code = code;
            this.size = size;
        }

        /** The numpy name, as users know it. */
        String numpyName() {
            return switch (this) {
                case FLOAT32 -> "float32";
                case FLOAT64 -> "float64";
                case BOOL -> "bool";
            };
        }
    }

    /**
     * An array: {@code data} is a {@code float[]}, {@code double[]} or {@code boolean[]} of
     * product(shape) elements in C order.
     */
    record Array(DType dtype, int[] shape, Object data) {
        Array {
            shape = shape.clone();
        }

        static Array of(float[] data, int... shape) {
            return new Array(DType.FLOAT32, shape, data);
        }

        static Array of(double[] data, int... shape) {
            return new Array(DType.FLOAT64, shape, data);
        }

        static Array of(boolean[] data, int... shape) {
            return new Array(DType.BOOL, shape, data);
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        int ndim() {
            return shape.length;
        }

        long size() {
            long n = 1;
            for (int d : shape) n *= d;
            return n;
        }

        String shapeString() {
            return shapeLiteral(shape);
        }
    }

    /** A file that is not a usable .npy file; the message is one line naming the problem. */
    static final class FormatException extends IOException {
        private static final long serialVersionUID = 1L;

        FormatException(Path file, String problem) {
            super(file + ": " + problem);
        }
    }

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    private static final Pattern TYPESTR = Pattern.compile("([<>|=])([fb])(\\d+)");

    static Array read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
            throw new FormatException(file, "not a .npy file (no \\x93NUMPY magic)");
        }
        int major = bytes[6];
        long headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = b.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) throw new FormatException(file, "truncated header");
            headerLength = b.getInt(8) & 0xffffffffL;
            headerStart = 12;
        } else {
            throw new FormatException(file, "unsupported .npy format version " + major);
        }
        if (headerStart + headerLength > bytes.length) throw new FormatException(file, "truncated header");
        String header = new String(bytes, headerStart, (int) headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shapeM = SHAPE.matcher(header);
        if (!descr.find() || !fortran.find() || !shapeM.find()) {
            throw new FormatException(file, "malformed header: " + header.strip());
        }
        if (fortran.group(1).equals("True")) {
            throw new FormatException(file, "Fortran-ordered arrays are not supported; save it in C order "
                    + "(numpy.ascontiguousarray)");
        }
        Matcher t = TYPESTR.matcher(descr.group(1));
        DType dtype = null;
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        if (t.matches()) {
            order = t.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            for (DType d : DType.values()) if (d.code.equals(t.group(2) + t.group(3))) dtype = d;
        }
        if (dtype == null) {
            throw new FormatException(file, "unsupported dtype '" + descr.group(1)
                    + "' (float32, float64 or bool expected)");
        }
        int[] shape = parseShape(file, shapeM.group(1));

        long count = 1;
        for (int d : shape) {
            count = Math.multiplyExact(count, (long) d);
        }
        long dataStart = headerStart + headerLength;
        long expected = count * dtype.size;
        long actual = bytes.length - dataStart;
        if (actual < expected) {
            throw new FormatException(file, "truncated: shape " + shapeLiteral(shape) + " needs "
                    + expected + " bytes of data, found " + actual);
        }
        if (actual > expected) {
            throw new FormatException(file, (actual - expected) + " bytes after the data of shape "
                    + shapeLiteral(shape));
        }
        if (count > Integer.MAX_VALUE - 8) throw new FormatException(file, "too large: " + count + " elements");
        ByteBuffer data = ByteBuffer.wrap(bytes, (int) dataStart, (int) expected).slice().order(order);
        int n = (int) count;
        Object values = switch (dtype) {
            case FLOAT32 -> {
                float[] f = new float[n];
                data.asFloatBuffer().get(f);
                yield f;
            }
            case FLOAT64 -> {
                double[] d = new double[n];
                data.asDoubleBuffer().get(d);
                yield d;
            }
            case BOOL -> {
                boolean[] z = new boolean[n];
                for (int i = 0; i < n; i++) z[i] = data.get(i) != 0;
                yield z;
            }
        };
        return new Array(dtype, shape, values);
    }

    private static int[] parseShape(Path file, String literal) throws FormatException {
        String body = literal.strip();
        if (body.isEmpty()) return new int[0];
        String[] parts = body.split(",");
        int count = parts.length;
        if (parts[count - 1].isBlank()) count--; // "(3,)" has a trailing comma
        int[] shape = new int[count];
        for (int i = 0; i < count; i++) {
            try {
                shape[i] = Integer.parseInt(parts[i].strip().replace("L", ""));
            } catch (NumberFormatException e) {
                throw new FormatException(file, "malformed shape (" + literal + ")");
            }
            if (shape[i] < 0) throw new FormatException(file, "negative dimension in shape (" + literal + ")");
        }
        return shape;
    }

    /**
     * Writes {@code a} as a version 1.0 file, little-endian. The bytes go to a temporary file in
     * the same folder that is then moved into place, so the target is either complete or absent.
     */
    static void write(Path file, Array a) throws IOException {
        String header = "{'descr': '" + (a.dtype() == DType.BOOL ? "|" : "<") + a.dtype().code
                + "', 'fortran_order': False, 'shape': " + shapeLiteral(a.shape) + ", }";
        // Magic (6) + version (2) + length (2) + header + '\n', padded to a multiple of 64.
        int unpadded = 10 + header.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        header = header + " ".repeat(padding) + "\n";
        long size = a.size() * a.dtype().size;
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(10 + header.length() + size))
                .order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        out.put(header.getBytes(StandardCharsets.ISO_8859_1));
        switch (a.dtype()) {
            case FLOAT32 -> {
                out.asFloatBuffer().put((float[]) a.data());
                out.position(out.position() + (int) size);
            }
            case FLOAT64 -> {
                out.asDoubleBuffer().put((double[]) a.data());
                out.position(out.position() + (int) size);
            }
            case BOOL -> {
                for (boolean z : (boolean[]) a.data()) out.put((byte) (z ? 1 : 0));
            }
        }
        AtomicFiles.write(file, out.array());
    }

    /** Python's tuple literal for a shape: (), (3,), (3, 4). */
    static String shapeLiteral(int[] shape) {
        if (shape.length == 1) return "(" + shape[0] + ",)";
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) sb.append(i == 0 ? "" : ", ").append(shape[i]);
        return sb.append(")").toString();
    }
}
