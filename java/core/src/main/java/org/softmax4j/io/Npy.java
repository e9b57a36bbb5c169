package org.softmax4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.softmax4j.backend.Checks;
import org.softmax4j.internal.AtomicFiles;

/**
 * Reads and writes NumPy {@code .npy} arrays (format versions 1.0 to 3.0) of float32, float64,
 * int32, int64 or bool in C order: the files of {@code bin/softmax4j apply} and {@code predict},
 * and the entries of a model's {@code .npz} file.
 *
 * <p>Written here rather than taken from a library because the contract is about the failures:
 * a Fortran-ordered array, a truncated file or an unsupported dtype must each be named in one
 * line, and the readers on Maven Central either do not report the array order or pull in a
 * language runtime. The format is small: a magic string, a version, a header that is a Python
 * dict literal, then the raw data (see {@code numpy.lib.format}).
 */
public final class Npy {
    private Npy() {}

    /** The element types handled. */
    public enum DType {
        /** {@code float32}, {@code <f4}. */
        FLOAT32("f4", 4),
        /** {@code float64}, {@code <f8}. */
        FLOAT64("f8", 8),
        /** {@code int32}, {@code <i4}. */
        INT32("i4", 4),
        /** {@code int64}, {@code <i8}. */
        INT64("i8", 8),
        /** {@code bool}, {@code |b1}: one byte, 0 or 1. */
        BOOL("b1", 1),
        /** {@code float16}, {@code <f2}: IEEE binary16, held as its bit patterns in a {@code short[]}. */
        FLOAT16("f2", 2),
        /**
         * {@code uint16}, {@code <u2}, held in a {@code short[]} (the same 16 bits): how NumPy
         * stores bfloat16 bit patterns, which it has no dtype for.
         */
        UINT16("u2", 2);

        private final String code;
        private final int size;

        DType(String code, int size) {
            this.code = code;
            this.size = size;
        }

        /**
         * Bytes per element.
         *
         * @return 1, 2, 4 or 8
         */
        public int size() {
            return size;
        }

        /**
         * Whether this is a floating-point type.
         *
         * @return true for float32, float64 and float16
         */
        public boolean isFloat() {
            return this == FLOAT32 || this == FLOAT64 || this == FLOAT16;
        }

        /**
         * NumPy's name, as users know it.
         *
         * @return {@code float32}, {@code float64}, {@code float16}, {@code uint16}, {@code int32},
         *     {@code int64} or {@code bool}
         */
        public String numpyName() {
            return switch (this) {
                case FLOAT16 -> "float16";
                case UINT16 -> "uint16";
                case FLOAT32 -> "float32";
                case FLOAT64 -> "float64";
                case INT32 -> "int32";
                case INT64 -> "int64";
                case BOOL -> "bool";
            };
        }

        /**
         * The {@code descr} this class writes.
         *
         * @return the little-endian type string, e.g. {@code <f4}, or {@code |b1}
         */
        public String typestr() {
            return (this == BOOL ? "|" : "<") + code;
        }
    }

    /**
     * An array: {@code data} is a {@code float[]}, {@code double[]}, {@code int[]},
     * {@code long[]}, {@code boolean[]} or {@code short[]} (float16 and uint16) (by {@code dtype}) of product(shape) elements in C order.
     *
     * @param dtype the element type
     * @param shape the dimensions, each &ge; 0 (none for a scalar)
     * @param data the elements, an array of {@code dtype}'s Java type, not copied
     */
    public record Array(DType dtype, int[] shape, Object data) {
        /**
         * Checks that the parts fit together.
         *
         * @param dtype the element type
         * @param shape the dimensions, each &ge; 0 (none for a scalar)
         * @param data the elements, an array of {@code dtype}'s Java type, not copied
         * @throws IllegalArgumentException if {@code data} is not the array type of
         *     {@code dtype}, a dimension is negative, or the length is not product(shape)
         */
        public Array {
            Checks.notNull(dtype, "dtype");
            Checks.notNull(data, "data");
            shape = shape.clone();
            Class<?> type = switch (dtype) {
                case FLOAT32 -> float[].class;
                case FLOAT64 -> double[].class;
                case INT32 -> int[].class;
                case INT64 -> long[].class;
                case BOOL -> boolean[].class;
                case FLOAT16, UINT16 -> short[].class;
            };
            if (data.getClass() != type) {
                throw new IllegalArgumentException("data of a " + dtype.numpyName() + " array must be a "
                        + type.getSimpleName() + ", got " + data.getClass().getSimpleName());
            }
            long n = 1;
            for (int d : shape) {
                if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + shapeLiteral(shape));
                n *= d;
            }
            int length = java.lang.reflect.Array.getLength(data);
            if (length != n) {
                throw new IllegalArgumentException("shape " + shapeLiteral(shape) + " holds " + n
                        + " elements, data has " + length);
            }
        }

        /**
         * A float32 array.
         *
         * @param data product(shape) elements in C order, not copied
         * @param shape the dimensions
         * @return the array
         */
        public static Array of(float[] data, int... shape) {
            return new Array(DType.FLOAT32, shape, data);
        }

        /**
         * A float64 array.
         *
         * @param data product(shape) elements in C order, not copied
         * @param shape the dimensions
         * @return the array
         */
        public static Array of(double[] data, int... shape) {
            return new Array(DType.FLOAT64, shape, data);
        }

        /**
         * An int32 array.
         *
         * @param data product(shape) elements in C order, not copied
         * @param shape the dimensions
         * @return the array
         */
        public static Array of(int[] data, int... shape) {
            return new Array(DType.INT32, shape, data);
        }

        /**
         * An int64 array.
         *
         * @param data product(shape) elements in C order, not copied
         * @param shape the dimensions
         * @return the array
         */
        public static Array of(long[] data, int... shape) {
            return new Array(DType.INT64, shape, data);
        }

        /**
         * A bool array.
         *
         * @param data product(shape) elements in C order, not copied
         * @param shape the dimensions
         * @return the array
         */
        public static Array of(boolean[] data, int... shape) {
            return new Array(DType.BOOL, shape, data);
        }

        /**
         * A 16-bit array: float16 bit patterns, or uint16 (bfloat16 bit patterns as NumPy stores
         * them).
         *
         * @param dtype {@link DType#FLOAT16} or {@link DType#UINT16}
         * @param data product(shape) elements in C order, not copied
         * @param shape the dimensions
         * @return the array
         */
        public static Array of(DType dtype, short[] data, int... shape) {
            return new Array(dtype, shape, data);
        }

        /**
         * The dimensions.
         *
         * @return a copy of the shape
         */
        @Override
        public int[] shape() {
            return shape.clone();
        }

        /**
         * The number of dimensions.
         *
         * @return the length of the shape: 0 for a scalar
         */
        public int ndim() {
            return shape.length;
        }

        /**
         * The number of elements.
         *
         * @return product(shape), 1 for a scalar
         */
        public long size() {
            long n = 1;
            for (int d : shape) n *= d;
            return n;
        }

        /**
         * The shape as Python writes it.
         *
         * @return e.g. {@code ()}, {@code (3,)}, {@code (3, 4)}
         */
        public String shapeString() {
            return shapeLiteral(shape);
        }

        /**
         * The values as doubles (int64 values beyond 2⁵³ rounded).
         *
         * @return a new array of size() elements in C order
         * @throws IllegalArgumentException for a bool array
         */
        public double[] toDoubles() {
            return switch (dtype) {
                case FLOAT64 -> ((double[]) data).clone();
                case FLOAT32 -> {
                    float[] f = (float[]) data;
                    double[] d = new double[f.length];
                    for (int i = 0; i < f.length; i++) d[i] = f[i];
                    yield d;
                }
                case INT32 -> Arrays.stream((int[]) data).asDoubleStream().toArray();
                case INT64 -> Arrays.stream((long[]) data).asDoubleStream().toArray();
                case FLOAT16, UINT16 -> {
                    short[] h = (short[]) data;
                    double[] d = new double[h.length];
                    for (int i = 0; i < h.length; i++) {
                        d[i] = dtype == DType.FLOAT16 ? org.softmax4j.ElementType.FLOAT16.toFloat(h[i]) : h[i] & 0xffff;
                    }
                    yield d;
                }
                case BOOL -> throw new IllegalArgumentException("a bool array has no numeric values");
            };
        }
    }

    /** Data that is not a usable .npy array; the message is one line naming the source and the problem. */
    public static final class FormatException extends IOException {
        private static final long serialVersionUID = 1L;

        /**
         * A format error.
         *
         * @param source what was read: a file name, or a description
         * @param problem what is wrong with it
         */
        public FormatException(String source, String problem) {
            super(source + ": " + problem);
        }
    }

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    private static final Pattern TYPESTR = Pattern.compile("([<>|=])([fibu])(\\d+)");

    /**
     * Reads a {@code .npy} file.
     *
     * @param file the file
     * @return its array
     * @throws IOException if it cannot be read, or a {@link FormatException} naming the problem
     */
    public static Array read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        }
        return decode(bytes, file.toString());
    }

    /**
     * Decodes the bytes of a {@code .npy} file.
     *
     * @param bytes the whole file
     * @param source what the bytes are, for error messages
     * @return the array
     * @throws FormatException naming the problem
     */
    public static Array decode(byte[] bytes, String source) throws FormatException {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
            throw new FormatException(source, "not a .npy file (no \\x93NUMPY magic)");
        }
        int major = bytes[6];
        long headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = b.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) throw new FormatException(source, "truncated header");
            headerLength = b.getInt(8) & 0xffffffffL;
            headerStart = 12;
        } else {
            throw new FormatException(source, "unsupported .npy format version " + major);
        }
        if (headerStart + headerLength > bytes.length) throw new FormatException(source, "truncated header");
        String header = new String(bytes, headerStart, (int) headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shapeM = SHAPE.matcher(header);
        if (!descr.find() || !fortran.find() || !shapeM.find()) {
            throw new FormatException(source, "malformed header: " + header.strip());
        }
        Matcher t = TYPESTR.matcher(descr.group(1));
        DType dtype = null;
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        if (t.matches()) {
            order = t.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            for (DType d : DType.values()) if (d.code.equals(t.group(2) + t.group(3))) dtype = d;
        }
        if (dtype == null) {
            throw new FormatException(source, "unsupported dtype '" + descr.group(1)
                    + "' (float32, float64, float16, int32, int64, uint16 or bool expected)");
        }
        int[] shape = parseShape(source, shapeM.group(1));
        // A Fortran-ordered array of one dimension is laid out as in C.
        if (fortran.group(1).equals("True") && shape.length > 1) {
            throw new FormatException(source, "Fortran-ordered arrays are not supported; save it in C order "
                    + "(numpy.ascontiguousarray)");
        }

        long count = 1;
        try {
            for (int d : shape) count = Math.multiplyExact(count, (long) d);
            Math.multiplyExact(count, (long) dtype.size);
        } catch (ArithmeticException e) {
            throw new FormatException(source, "too large: shape " + shapeLiteral(shape));
        }
        long dataStart = headerStart + headerLength;
        long expected = count * dtype.size;
        long actual = bytes.length - dataStart;
        if (actual < expected) {
            throw new FormatException(source, "truncated: shape " + shapeLiteral(shape) + " needs "
                    + expected + " bytes of data, found " + actual);
        }
        if (actual > expected) {
            throw new FormatException(source, (actual - expected) + " bytes after the data of shape "
                    + shapeLiteral(shape));
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, (int) dataStart, (int) expected).slice().order(order);
        int n = (int) count;  // fits: the data is inside a byte[]
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
            case INT32 -> {
                int[] v = new int[n];
                data.asIntBuffer().get(v);
                yield v;
            }
            case INT64 -> {
                long[] v = new long[n];
                data.asLongBuffer().get(v);
                yield v;
            }
            case BOOL -> {
                boolean[] z = new boolean[n];
                for (int i = 0; i < n; i++) z[i] = data.get(i) != 0;
                yield z;
            }
            case FLOAT16, UINT16 -> {
                short[] h = new short[n];
                data.asShortBuffer().get(h);
                yield h;
            }
        };
        return new Array(dtype, shape, values);
    }

    private static int[] parseShape(String source, String literal) throws FormatException {
        String body = literal.strip();
        if (body.isEmpty()) return new int[0];
        // Every part counts (limit -1): "(,)" or "(3,,)" is malformed, not "()" or "(3,)".
        String[] parts = body.split(",", -1);
        int count = parts.length;
        if (count > 1 && parts[count - 1].isBlank()) count--; // "(3,)" has a trailing comma
        int[] shape = new int[count];
        for (int i = 0; i < count; i++) {
            try {
                shape[i] = Integer.parseInt(parts[i].strip().replace("L", ""));
            } catch (NumberFormatException e) {
                throw new FormatException(source, "malformed shape (" + literal + ")");
            }
            if (shape[i] < 0) throw new FormatException(source, "negative dimension in shape (" + literal + ")");
        }
        return shape;
    }

    /**
     * Encodes an array as a {@code .npy} file.
     *
     * @param a the array
     * @return the bytes of a version 1.0 {@code .npy} file, little-endian, C order
     */
    public static byte[] encode(Array a) {
        String header = "{'descr': '" + a.dtype().typestr() + "', 'fortran_order': False, 'shape': "
                + shapeLiteral(a.shape) + ", }";
        // Magic (6) + version (2) + length (2) + header + '\n', padded to a multiple of 64.
        int unpadded = 10 + header.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        header = header + " ".repeat(padding) + "\n";
        long size = a.size() * a.dtype().size;
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(10 + header.length() + size))
                .order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        out.put(header.getBytes(StandardCharsets.ISO_8859_1));
        ByteBuffer data = out.slice().order(ByteOrder.LITTLE_ENDIAN);
        switch (a.dtype()) {
            case FLOAT32 -> data.asFloatBuffer().put((float[]) a.data());
            case FLOAT64 -> data.asDoubleBuffer().put((double[]) a.data());
            case INT32 -> data.asIntBuffer().put((int[]) a.data());
            case INT64 -> data.asLongBuffer().put((long[]) a.data());
            case FLOAT16, UINT16 -> data.asShortBuffer().put((short[]) a.data());
            case BOOL -> {
                for (boolean z : (boolean[]) a.data()) data.put((byte) (z ? 1 : 0));
            }
        }
        return out.array();
    }

    /**
     * Writes {@code a} as a {@code .npy} file, complete or not at all: into a temporary file in
     * the same folder, then moved into place, replacing any previous file (whose permissions the
     * new one keeps; a new file gets {@code rw-r--r--}).
     *
     * @param file where to write
     * @param a the array
     * @throws IOException if the file cannot be written; it is then left as it was
     */
    public static void write(Path file, Array a) throws IOException {
        AtomicFiles.write(file, encode(a));
    }

    /**
     * Writes arrays as a NumPy {@code .npz} archive (what {@code numpy.savez_compressed} makes:
     * one deflated {@code NAME.npy} entry per array; {@code numpy.load} reads it), complete or not
     * at all, like {@link #write}.
     *
     * @param file where to write
     * @param arrays the arrays by name (without {@code .npy}), in the order of the entries
     * @throws IOException if the file cannot be written; it is then left as it was
     */
    public static void writeNpz(Path file, java.util.Map<String, Array> arrays) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            for (java.util.Map.Entry<String, Array> e : arrays.entrySet()) {
                zip.putNextEntry(new java.util.zip.ZipEntry(e.getKey() + ".npy"));
                zip.write(encode(e.getValue()));
                zip.closeEntry();
            }
        }
        AtomicFiles.write(file, bytes.toByteArray());
    }

    /**
     * Python's tuple literal for a shape.
     *
     * @param shape the dimensions
     * @return e.g. {@code ()}, {@code (3,)}, {@code (3, 4)}
     */
    public static String shapeLiteral(int[] shape) {
        if (shape.length == 1) return "(" + shape[0] + ",)";
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) sb.append(i == 0 ? "" : ", ").append(shape[i]);
        return sb.append(")").toString();
    }
}
