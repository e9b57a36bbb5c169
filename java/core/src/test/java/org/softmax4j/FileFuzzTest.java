package org.softmax4j;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.softmax4j.io.Npy;
import org.softmax4j.regression.Dataset;
import org.softmax4j.regression.SoftmaxClassifier;

/**
 * Fuzzing of the entry points that read files: {@link Npy#decode}, {@link Dataset#readCsv(java.io.Reader,
 * String, int)} and {@link SoftmaxClassifier#load}. Each case starts from a valid encoding of a
 * random value (an array of every dtype and up to three dimensions; a table of numbers and labels;
 * a saved model), then leaves it as it is or damages it: a header, shape or field rewritten from
 * a vocabulary of near-misses (empty, a lone comma, negative, 2³¹, {@code NaN}, {@code 1e400},
 * non-ASCII digits, …), bytes flipped, the end cut or extended, a length field or version byte
 * replaced. The reader must
 * <ul>
 *   <li>return exactly the value encoded, for an undamaged encoding;</li>
 *   <li>for a damaged one, either return a value that keeps the format's invariants (an array whose
 *       length is the product of its shape, finite features and labels &ge; 0, a model of finite
 *       weights), or throw the documented checked exception ({@link Npy.FormatException};
 *       {@link IOException}) — never an unchecked one, which a caller (the CLI) would not expect.</li>
 * </ul>
 * {@code -Dsoftmax4j.fuzz.tries=N} cases per entry point (default {@value #DEFAULT_TRIES});
 * {@code -Dsoftmax4j.sweep.seed=S} for another sequence. The run prints its cases per entry
 * point and how they ended.
 */
class FileFuzzTest {
    static final int DEFAULT_TRIES = 2000;

    enum Entry { NPY_DECODE, CSV_READ, MODEL_LOAD }

    private static final Map<String, Map<String, Long>> TALLY = new TreeMap<>();

    @TempDir
    static Path dir;

    @ParameterizedTest
    @EnumSource(Entry.class)
    void sweep(Entry entry) throws IOException {
        int tries = OperationSweepTest.tries(DEFAULT_TRIES);
        long seed = Long.getLong("softmax4j.sweep.seed", 20261130L) * 31 + entry.ordinal();
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, Long> outcomes = new TreeMap<>();
        for (int i = 0; i < tries; i++) {
            String outcome;
            try {
                outcome = switch (entry) {
                    case NPY_DECODE -> npy(r);
                    case CSV_READ -> csv(r);
                    case MODEL_LOAD -> model(r, dir.resolve("model.npz"));
                };
            } catch (AssertionError e) {
                throw new AssertionError("case " + i + " of seed " + seed + ": " + e.getMessage(), e);
            }
            outcomes.merge(outcome, 1L, Long::sum);
        }
        synchronized (TALLY) {
            TALLY.put(entry.name(), outcomes);
        }
        if (tries >= 10_000) System.out.println("FileFuzzTest: " + entry + " " + tries + " " + outcomes);
    }

    @AfterAll
    static void report() {
        StringBuilder sb = new StringBuilder("FileFuzzTest: cases per entry point\n");
        synchronized (TALLY) {
            TALLY.forEach((entry, outcomes) -> sb.append(String.format("  %-22s %9d  %s%n", entry,
                    outcomes.values().stream().mapToLong(Long::longValue).sum(), outcomes)));
        }
        System.out.print(sb);
    }

    // ---------------------------------------------------------------- .npy

    private static final String[] SHAPE_TOKENS = {"", ",", " ", "0", "1", "2", "3", "-1", "2147483647",
            "2147483648", "4294967296", "3L", "1e3", "٣", "(", ")", "None", "07", "+2"};
    private static final String[] DESCRS = {"<f4", "<f8", "<i4", "<i8", "|b1", ">f4", ">f8", ">i4", ">i8",
            "=f8", "<f2", ">f2", "<u2", ">u2", "<u4", "<c16", "|O", "", "<f", "f8", "<f88"};

    private static String npy(SplittableRandom r) {
        Npy.Array a = randomArray(r);
        byte[] bytes = Npy.encode(a);
        int damage = r.nextInt(6);
        String source = "fuzz.npy";
        switch (damage) {
            case 0 -> { }
            case 1 -> bytes = withHeader(bytes, header(r, a), r);
            case 2 -> flip(bytes, r);
            case 3 -> bytes = Arrays.copyOf(bytes, r.nextInt(bytes.length + 8));
            case 4 -> {
                // The version byte or the header length field.
                if (r.nextBoolean()) bytes[6] = (byte) r.nextInt(-2, 6);
                else bytes[8 + r.nextInt(2)] = (byte) r.nextInt(256);
            }
            default -> bytes = withHeader(bytes, header(r, a), r);
        }
        Npy.Array got;
        try {
            got = Npy.decode(bytes, source);
        } catch (Npy.FormatException e) {
            if (damage == 0) fail("an undamaged array was refused: " + e.getMessage());
            if (!e.getMessage().startsWith(source + ": ")) fail("the message does not name the source: " + e.getMessage());
            return "FormatException";
        } catch (RuntimeException e) {
            throw new AssertionError("Npy.decode threw " + e + " for damage " + damage + " of " + describe(a)
                    + ", header " + headerOf(bytes), e);
        }
        if (damage == 0) {
            if (got.dtype() != a.dtype() || !Arrays.equals(got.shape(), a.shape()) || !sameData(got.data(), a.data())) {
                fail("decode(encode(a)) is not a: " + describe(a) + " came back as " + describe(got));
            }
            return "valid";
        }
        // A damaged file that still reads: a consistent array (the record checks its length),
        // which encodes and decodes to itself.
        Npy.Array again;
        try {
            again = Npy.decode(Npy.encode(got), source);
        } catch (IOException | RuntimeException e) {
            throw new AssertionError("a decoded array does not round-trip: " + describe(got), e);
        }
        if (!sameData(again.data(), got.data())) fail("a decoded array does not round-trip: " + describe(got));
        return "read";
    }

    private static Npy.Array randomArray(SplittableRandom r) {
        int dims = r.nextInt(4);
        int[] shape = new int[dims];
        int size = 1;
        for (int i = 0; i < dims; i++) {
            shape[i] = r.nextInt(r.nextInt(8) == 0 ? 0 : 1, 5);
            size *= shape[i];
        }
        return switch (r.nextInt(6)) {
            case 0 -> {
                float[] f = new float[size];
                for (int i = 0; i < size; i++) f[i] = (float) special(r);
                yield Npy.Array.of(f, shape);
            }
            case 1 -> {
                double[] d = new double[size];
                for (int i = 0; i < size; i++) d[i] = special(r);
                yield Npy.Array.of(d, shape);
            }
            case 2 -> Npy.Array.of(r.ints(size).toArray(), shape);
            case 3 -> Npy.Array.of(r.longs(size).toArray(), shape);
            case 4 -> {
                short[] h = new short[size];
                for (int i = 0; i < size; i++) h[i] = (short) r.nextInt();
                yield Npy.Array.of(r.nextBoolean() ? Npy.DType.FLOAT16 : Npy.DType.UINT16, h, shape);
            }
            default -> {
                boolean[] z = new boolean[size];
                for (int i = 0; i < size; i++) z[i] = r.nextBoolean();
                yield Npy.Array.of(z, shape);
            }
        };
    }

    private static double special(SplittableRandom r) {
        return r.nextInt(10) == 0 ? BoundaryCase.SPECIALS[r.nextInt(BoundaryCase.SPECIALS.length)] : r.nextGaussian();
    }

    /** A header dict near the real one: its descr, order or shape rewritten. */
    private static String header(SplittableRandom r, Npy.Array a) {
        String descr = r.nextInt(3) == 0 ? DESCRS[r.nextInt(DESCRS.length)] : a.dtype().typestr();
        String fortran = switch (r.nextInt(6)) {
            case 0 -> "True";
            case 1 -> "1";
            default -> "False";
        };
        String shape = Npy.shapeLiteral(a.shape());
        if (r.nextInt(2) == 0) {
            StringBuilder sb = new StringBuilder("(");
            int parts = r.nextInt(5);
            for (int i = 0; i < parts; i++) sb.append(SHAPE_TOKENS[r.nextInt(SHAPE_TOKENS.length)]).append(r.nextInt(3) == 0 ? "" : ",");
            shape = sb.append(r.nextInt(8) == 0 ? "" : ")").toString();
        }
        String h = "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }";
        if (r.nextInt(10) == 0) h = h.substring(0, r.nextInt(h.length() + 1));
        return h;
    }

    /** The file with its header replaced (length field consistent, or not), data kept. */
    private static byte[] withHeader(byte[] file, String header, SplittableRandom r) {
        int oldLength = (file[8] & 0xff) | (file[9] & 0xff) << 8;
        byte[] data = Arrays.copyOfRange(file, 10 + oldLength, file.length);
        byte[] h = (header + "\n").getBytes(StandardCharsets.ISO_8859_1);
        int length = r.nextInt(8) == 0 ? h.length + r.nextInt(-3, 4) : h.length;
        byte[] out = new byte[10 + h.length + data.length];
        System.arraycopy(file, 0, out, 0, 8);
        out[8] = (byte) length;
        out[9] = (byte) (length >>> 8);
        System.arraycopy(h, 0, out, 10, h.length);
        System.arraycopy(data, 0, out, 10 + h.length, data.length);
        return out;
    }

    private static String headerOf(byte[] bytes) {
        int end = Math.min(bytes.length, 10 + 128);
        return new String(bytes, Math.min(10, end), Math.max(0, end - 10), StandardCharsets.ISO_8859_1).strip();
    }

    private static void flip(byte[] bytes, SplittableRandom r) {
        int flips = 1 + r.nextInt(4);
        for (int i = 0; i < flips && bytes.length > 0; i++) bytes[r.nextInt(bytes.length)] ^= (byte) (1 << r.nextInt(8));
    }

    private static boolean sameData(Object x, Object y) {
        if (x instanceof float[] a && y instanceof float[] b) return Arrays.equals(a, b);
        if (x instanceof double[] a && y instanceof double[] b) return Arrays.equals(a, b);
        if (x instanceof int[] a && y instanceof int[] b) return Arrays.equals(a, b);
        if (x instanceof long[] a && y instanceof long[] b) return Arrays.equals(a, b);
        if (x instanceof boolean[] a && y instanceof boolean[] b) return Arrays.equals(a, b);
        if (x instanceof short[] a && y instanceof short[] b) return Arrays.equals(a, b);
        return false;
    }

    private static String describe(Npy.Array a) {
        return a.dtype() + " " + Npy.shapeLiteral(a.shape());
    }

    // ---------------------------------------------------------------- CSV

    private static final String[] BAD_FIELDS = {"", " ", "NaN", "Infinity", "-Infinity", "1e400", "-1", "2.5",
            "abc", "0x10", "1_0", "٣", "+5", "1e-400", "2147483647", "2147483648", "1,2", "\"3\"", "-0", "4d", "5f"};

    private static String csv(SplittableRandom r) {
        int rows = r.nextInt(5);
        int features = r.nextInt(4);
        int columns = features + 1;
        boolean last = r.nextBoolean();
        int labelColumn = last ? Dataset.LAST_COLUMN : r.nextInt(columns);
        double[] x = new double[rows * features];
        int[] labels = new int[rows];
        String[][] fields = new String[rows][columns];
        int lc = last ? columns - 1 : labelColumn;
        for (int i = 0; i < rows; i++) {
            labels[i] = r.nextInt(6);
            for (int c = 0, f = 0; c < columns; c++) {
                if (c == lc) {
                    fields[i][c] = r.nextInt(4) == 0 ? labels[i] + ".0" : String.valueOf(labels[i]);
                } else {
                    double v = r.nextInt(8) == 0 ? Math.scalb(r.nextGaussian(), r.nextInt(-1070, 1020)) : r.nextGaussian();
                    x[i * features + f++] = v;
                    fields[i][c] = r.nextInt(4) == 0 ? " " + v + " " : String.valueOf(v);
                }
            }
        }
        int damage = r.nextInt(4);
        int givenColumn = labelColumn;
        if (damage == 1 && rows > 0) {
            fields[r.nextInt(rows)][r.nextInt(columns)] = BAD_FIELDS[r.nextInt(BAD_FIELDS.length)];
        } else if (damage == 2) {
            givenColumn = r.nextInt(-3, columns + 2);
        }
        StringBuilder text = new StringBuilder();
        boolean header = r.nextInt(4) == 0;
        if (header) {
            for (int c = 0; c < columns; c++) text.append(c == 0 ? "" : ",").append("col").append(c);
            text.append(r.nextBoolean() ? "\n" : "\r\n");
        }
        for (int i = 0; i < rows; i++) {
            if (r.nextInt(10) == 0) text.append(r.nextBoolean() ? "\n" : "  \n");  // blank lines are skipped
            text.append(String.join(",", fields[i])).append(r.nextInt(5) == 0 ? "\r\n" : "\n");
        }
        String s = text.toString();
        if (damage == 3) {
            int at = r.nextInt(s.length() + 1);
            s = s.substring(0, at) + "\n,;\u0000".charAt(r.nextInt(4)) + s.substring(at);
        }
        Dataset d;
        try {
            d = Dataset.readCsv(new StringReader(s), "fuzz.csv", givenColumn);
        } catch (IllegalArgumentException e) {
            if (givenColumn >= Dataset.LAST_COLUMN) throw new AssertionError("readCsv threw " + e + " for\n" + s, e);
            return "IllegalArgumentException";
        } catch (IOException e) {
            if (damage == 0 && rows > 0) fail("an undamaged CSV was refused: " + e.getMessage() + "\n" + s);
            if (!e.getMessage().startsWith("fuzz.csv")) fail("the message does not name the source: " + e.getMessage());
            return "IOException";
        } catch (RuntimeException e) {
            throw new AssertionError("readCsv threw " + e + " for label column " + givenColumn + " and\n" + s, e);
        }
        if (givenColumn < Dataset.LAST_COLUMN) fail("label column " + givenColumn + " was taken");
        if (damage == 0) {
            if (rows == 0) fail("a CSV without rows was taken");
            int[] got = d.labels();
            if (d.rows() != rows || d.features() != features || !Arrays.equals(d.x(), x) || !Arrays.equals(got, labels)) {
                fail("read back differently:\n" + s + "\nas " + d + " " + Arrays.toString(d.x()) + " " + Arrays.toString(got));
            }
            return "valid";
        }
        for (double v : d.x()) if (!Double.isFinite(v)) fail("a non-finite feature was taken: " + v + "\n" + s);
        int max = -1;
        for (int l : d.labels()) {
            if (l < 0) fail("a negative label was taken\n" + s);
            max = Math.max(max, l);
        }
        if (d.classes() != Math.max(max, 0) + 1) fail("classes " + d.classes() + " for largest label " + max);
        if (d.x().length != (long) d.rows() * d.features()) fail("x's length does not match its shape");
        return "read";
    }

    // ---------------------------------------------------------------- model files

    private static String model(SplittableRandom r, Path file) throws IOException {
        int k = r.nextInt(1, 5);
        int d = r.nextInt(0, 4);
        double[] w = new double[k * d];
        double[] b = new double[k];
        for (int i = 0; i < w.length; i++) w[i] = r.nextGaussian();
        for (int i = 0; i < k; i++) b[i] = r.nextGaussian();
        try (SoftmaxClassifier m = SoftmaxClassifier.of(k, d, w, b, Softmax.java())) {
            m.save(file);
        }
        byte[] bytes = Files.readAllBytes(file);
        int damage = r.nextInt(4);
        switch (damage) {
            case 0 -> { }
            case 1 -> flip(bytes, r);
            case 2 -> bytes = Arrays.copyOf(bytes, r.nextInt(bytes.length + 8));
            default -> bytes = npz(r, k, d);
        }
        Files.write(file, bytes);
        SoftmaxClassifier m;
        try {
            m = SoftmaxClassifier.load(file, Softmax.java());
        } catch (IOException e) {
            if (damage == 0) fail("an undamaged model was refused: " + e.getMessage());
            if (!e.getMessage().contains(file.toString())) fail("the message does not name the file: " + e.getMessage());
            return "IOException";
        } catch (RuntimeException e) {
            throw new AssertionError("load threw " + e + " for damage " + damage, e);
        }
        try (m) {
            if (damage == 0) {
                if (m.classes() != k || m.features() != d || !Arrays.equals(m.weights(), w) || !Arrays.equals(m.bias(), b)) {
                    fail("the model read back differently");
                }
                return "valid";
            }
            if (m.classes() < 1 || m.weights().length != (long) m.classes() * m.features() || m.bias().length != m.classes()) {
                fail("an inconsistent model was taken");
            }
            for (double v : m.weights()) if (!Double.isFinite(v)) fail("a non-finite weight was taken");
            for (double v : m.bias()) if (!Double.isFinite(v)) fail("a non-finite bias was taken");
            return "read";
        }
    }

    /** An archive of entries near a model's: shapes, dtypes, versions and values off, entries missing. */
    private static byte[] npz(SplittableRandom r, int k, int d) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
            List<String> names = new ArrayList<>(List.of("weights.npy", "bias.npy", "format.npy"));
            if (r.nextInt(4) == 0) names.remove(r.nextInt(names.size()));
            if (r.nextInt(6) == 0) names.add("other.npy");
            for (String name : names) {
                int kk = r.nextInt(5) == 0 ? r.nextInt(0, 4) : k;
                int dd = r.nextInt(5) == 0 ? r.nextInt(0, 4) : d;
                int[] shape = switch (name) {
                    case "weights.npy" -> r.nextInt(8) == 0 ? new int[] {kk * dd} : new int[] {kk, dd};
                    case "bias.npy" -> r.nextInt(8) == 0 ? new int[] {1, kk} : new int[] {kk};
                    case "format.npy" -> r.nextInt(6) == 0 ? new int[] {1} : new int[0];
                    default -> new int[] {2};
                };
                int size = 1;
                for (int s : shape) size *= s;
                Npy.Array a;
                if (name.equals("format.npy")) {
                    int[] v = new int[size];
                    Arrays.fill(v, r.nextInt(4) == 0 ? r.nextInt(-1, 3) : 1);
                    a = r.nextInt(5) == 0 ? Npy.Array.of(new boolean[size], shape) : Npy.Array.of(v, shape);
                } else {
                    double[] v = new double[size];
                    for (int i = 0; i < size; i++) v[i] = special(r);
                    a = switch (r.nextInt(6)) {
                        case 0 -> Npy.Array.of(TestSupport.toFloat(v), shape);
                        case 1 -> Npy.Array.of(new boolean[size], shape);
                        case 2 -> Npy.Array.of(r.longs(size).toArray(), shape);
                        default -> Npy.Array.of(v, shape);
                    };
                }
                zip.putNextEntry(new java.util.zip.ZipEntry(name));
                byte[] e = Npy.encode(a);
                if (r.nextInt(8) == 0) flip(e, r);
                zip.write(e);
                zip.closeEntry();
            }
        }
        byte[] bytes = out.toByteArray();
        if (r.nextInt(6) == 0) flip(bytes, r);
        return bytes;
    }
}
