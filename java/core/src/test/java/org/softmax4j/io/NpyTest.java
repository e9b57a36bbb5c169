package org.softmax4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .npy codec on its own: every dtype round-trips bit for bit through the format's bytes,
 * which are checked against the layout of numpy.lib.format (header padded to 64 bytes, data
 * little-endian); big-endian and 1-D Fortran data decode; malformed input is named in one line.
 * (The command line's tests and ModelFileTest also check the files against NumPy itself.)
 */
class NpyTest {

    @TempDir
    Path dir;

    @Test
    void everyDtypeRoundTripsBitForBit() throws Exception {
        Npy.Array[] arrays = {
            Npy.Array.of(new float[] {1.5f, -0f, Float.NaN, Float.MIN_VALUE, Float.NEGATIVE_INFINITY, 3e38f}, 2, 3),
            Npy.Array.of(new double[] {Math.PI, -0.0, Double.MIN_VALUE}, 3),
            Npy.Array.of(new int[] {Integer.MIN_VALUE, 0, 7, Integer.MAX_VALUE}, 2, 2),
            Npy.Array.of(new long[] {Long.MIN_VALUE, 1L << 53, -1}, 3, 1),
            Npy.Array.of(new boolean[] {true, false, true}, 3),
            Npy.Array.of(new double[] {42}),
            Npy.Array.of(new float[0], 0, 5),
            Npy.Array.of(Npy.DType.FLOAT16, new short[] {0x3c00, (short) 0x8000, 0x7e01, 0x0001, (short) 0xfc00, 0x7bff}, 2, 3),
            Npy.Array.of(Npy.DType.UINT16, new short[] {0x3f80, (short) 0xffff, 0}, 3),
        };
        for (Npy.Array a : arrays) {
            byte[] bytes = Npy.encode(a);
            int headerLength = ByteBuffer.wrap(bytes, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
            assertEquals(0, (10 + headerLength) % 64, "header padded to 64 bytes");
            assertEquals('\n', bytes[10 + headerLength - 1]);
            String header = new String(bytes, 10, headerLength, StandardCharsets.ISO_8859_1);
            assertTrue(header.contains("'descr': '" + a.dtype().typestr() + "'"), header);
            assertTrue(header.contains("'shape': " + a.shapeString()), header);
            assertEquals(10 + headerLength + a.size() * a.dtype().size(), bytes.length);

            Path f = dir.resolve(a.dtype() + "-" + a.ndim() + ".npy");
            Npy.write(f, a);
            Npy.Array back = Npy.read(f);
            assertEquals(a.dtype(), back.dtype());
            assertArrayEquals(a.shape(), back.shape());
            assertArrayEquals(Npy.encode(a), Npy.encode(back));
            assertBits(a.data(), back.data());
        }
    }

    private static void assertBits(Object expected, Object actual) {
        if (expected instanceof float[] e) {
            float[] g = (float[]) actual;
            assertEquals(e.length, g.length);
            for (int i = 0; i < e.length; i++) assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(g[i]));
        } else if (expected instanceof double[] e) {
            double[] g = (double[]) actual;
            assertEquals(e.length, g.length);
            for (int i = 0; i < e.length; i++) assertEquals(Double.doubleToRawLongBits(e[i]), Double.doubleToRawLongBits(g[i]));
        } else if (expected instanceof int[] e) {
            assertArrayEquals(e, (int[]) actual);
        } else if (expected instanceof long[] e) {
            assertArrayEquals(e, (long[]) actual);
        } else if (expected instanceof short[] e) {
            assertArrayEquals(e, (short[]) actual);
        } else {
            assertArrayEquals((boolean[]) expected, (boolean[]) actual);
        }
    }

    /** A file as another writer lays it out: any descr and order, data given as raw bytes. */
    private static byte[] file(String descr, boolean fortran, String shape, byte[] data) {
        String header = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False")
                + ", 'shape': " + shape + ", }\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        return b.array();
    }

    @Test
    void bigEndianAndOneDimensionalFortranDataDecode() throws Exception {
        byte[] be = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN).putDouble(1.25).putDouble(-3).array();
        assertArrayEquals(new double[] {1.25, -3}, (double[]) Npy.decode(file(">f8", false, "(2,)", be), "be").data());
        byte[] ints = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putInt(5).putInt(-6).array();
        assertArrayEquals(new int[] {5, -6}, (int[]) Npy.decode(file(">i4", true, "(2,)", ints), "fortran 1-D").data());
        assertArrayEquals(new double[] {5, -6}, Npy.decode(file(">i4", false, "(2,)", ints), "ints").toDoubles());
    }

    @Test
    void badDataIsNamedInOneLine() {
        rejected(file("<f4", true, "(2, 2)", new byte[16]), "Fortran-ordered");
        rejected(file("<f4", false, "(2, 2)", new byte[12]), "truncated: shape (2, 2) needs 16 bytes of data, found 12");
        rejected(file("<f4", false, "(2,)", new byte[12]), "4 bytes after the data");
        rejected(file("<c16", false, "(2,)", new byte[32]), "unsupported dtype '<c16'");
        rejected(file("<f4", false, "(2, -1)", new byte[0]), "negative dimension");
        rejected(file("<f4", false, "(2147483647, 2147483647, 2147483647)", new byte[0]), "too large");
        rejected("not numpy".getBytes(StandardCharsets.US_ASCII), "not a .npy file");
    }

    private static void rejected(byte[] bytes, String mention) {
        Npy.FormatException e = assertThrows(Npy.FormatException.class, () -> Npy.decode(bytes, "src.npy"));
        assertTrue(e.getMessage().startsWith("src.npy: "), e.getMessage());
        assertTrue(e.getMessage().contains(mention), () -> "should mention '" + mention + "': " + e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line");
    }

    @Test
    void arraysMustMatchTheirShapeAndDtype() {
        assertThrows(IllegalArgumentException.class, () -> Npy.Array.of(new float[5], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> Npy.Array.of(new float[0], -1));
        assertThrows(IllegalArgumentException.class, () -> new Npy.Array(Npy.DType.FLOAT64, new int[] {1}, new float[1]));
        assertThrows(NullPointerException.class, () -> new Npy.Array(Npy.DType.FLOAT64, new int[] {1}, null));
        assertThrows(IllegalArgumentException.class, () -> Npy.Array.of(new boolean[1], 1).toDoubles());
    }

    @Test
    void writtenFilesReadLikeAnyNewFile() throws Exception {
        Path f = dir.resolve("x.npy");
        Npy.write(f, Npy.Array.of(new float[] {1}, 1));
        if (Files.getFileStore(f).supportsFileAttributeView("posix")) {
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        }
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file left behind");
        }
    }
}
