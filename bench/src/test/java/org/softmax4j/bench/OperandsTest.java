package org.softmax4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.Test;
import org.softmax4j.DoubleMatrix;
import org.softmax4j.FloatMatrix;
import org.softmax4j.Softmax;

/** The benchmarks measure the right thing: every kind, type and operation gives the reference's results. */
class OperandsTest {

    @Test
    void everyCallComputesWhatTheReferenceDoes() {
        Shape shape = new Shape(3, 7);
        for (String dtype : new String[] {"float32", "float64"}) {
            for (String op : new String[] {"softmax", "logSoftmax", "logSumExp", "copy"}) {
                double[] expected = reference(op, shape);
                // The copy baseline gives the logits back exactly, as the operands' type holds them.
                boolean copy = op.equals("copy");
                if (copy && dtype.equals("float32")) expected = values(Operands.floats(shape.elements()), dtype);
                for (String kind : Operands.KINDS) {
                    if (kind.equals("segment") && !segmentsHere()) continue;
                    for (Softmax s : backends()) {
                        try (Operands o = Operands.allocate(kind, dtype, shape)) {
                            double[] got = values(o.call(s, op).run(), dtype);
                            String what = kind + " " + dtype + " " + op + " " + s.backend();
                            assertEquals(expected.length, got.length, what);
                            double tol = copy ? 0 : dtype.equals("float32") ? 1e-5 : 1e-12;
                            for (int i = 0; i < got.length; i++) {
                                assertEquals(expected[i], got[i], tol * (1 + Math.abs(expected[i])), what + " [" + i + "]");
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void shapesParseAndSortBySize() {
        assertEquals(new Shape(64, 1000), Shape.parse("64x1000"));
        assertEquals(new Shape(2, 3), Shape.parse(" 2×3 "));
        assertEquals("32x128256", Shape.parse("32X128256").toString());
        assertThrows(IllegalArgumentException.class, () -> Shape.parse("64"));
        assertThrows(IllegalArgumentException.class, () -> Shape.parse("0x5"));
        assertThrows(IllegalArgumentException.class, () -> Shape.parse("ax5"));
        assertEquals(-1, Integer.signum(Shape.parse("1x1048576").compareTo(Shape.parse("32x128256"))));
        assertThrows(IllegalArgumentException.class, () -> Operands.allocate("bogus", "float32", new Shape(1, 1)));
        assertThrows(IllegalArgumentException.class, () -> Operands.allocate("array", "int8", new Shape(1, 1)));
    }

    private static Softmax[] backends() {
        return Softmax.nativeUnavailableCause().isPresent() ? new Softmax[] {Softmax.java()}
                : new Softmax[] {Softmax.java(), Softmax.nativeBackend()};
    }

    /** The operation on the float64 logits, by the pure-Java reference. */
    static double[] reference(String op, Shape shape) {
        double[] x = Operands.doubles(shape.elements());
        double[] y = new double[op.equals("logSumExp") ? shape.rows() : x.length];
        Softmax j = Softmax.java();
        switch (op) {
            case "softmax" -> j.softmax(shape.rows(), shape.n(), x, y);
            case "logSoftmax" -> j.logSoftmax(shape.rows(), shape.n(), x, y);
            case "copy" -> System.arraycopy(x, 0, y, 0, x.length);
            default -> j.logSumExp(shape.rows(), shape.n(), x, y);
        }
        return y;
    }

    /** Whether the library's MemorySegment part is here: JDK 22+ and the packaged jar. */
    private static boolean segmentsHere() {
        try {
            Class.forName("org.softmax4j.Segments");
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** java.lang.foreign.MemorySegment, or null below JDK 22. */
    private static Class<?> segmentClass() {
        try {
            return Class.forName("java.lang.foreign.MemorySegment");
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    /** Whatever a call returned, as doubles. */
    static double[] values(Object o, String dtype) {
        Class<?> segment = segmentClass();
        if (segment != null && segment.isInstance(o)) {
            try {
                java.nio.ByteBuffer b = ((java.nio.ByteBuffer) segment.getMethod("asByteBuffer").invoke(o))
                        .order(java.nio.ByteOrder.nativeOrder());
                return dtype.equals("float32") ? values(b.asFloatBuffer(), dtype) : values(b.asDoubleBuffer(), dtype);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        if (o instanceof float[] f) return widen(f);
        if (o instanceof double[] d) return d.clone();
        if (o instanceof FloatBuffer b) {
            float[] f = new float[b.remaining()];
            b.duplicate().get(f);
            return widen(f);
        }
        if (o instanceof DoubleBuffer b) {
            double[] d = new double[b.remaining()];
            b.duplicate().get(d);
            return d;
        }
        if (o instanceof FloatPointer p) {
            float[] f = new float[(int) (p.limit() - p.position())];
            p.get(f);
            return widen(f);
        }
        if (o instanceof DoublePointer p) {
            double[] d = new double[(int) (p.limit() - p.position())];
            p.get(d);
            return d;
        }
        if (o instanceof FloatMatrix m) return widen(m.toArray());
        if (o instanceof DoubleMatrix m) return m.toArray();
        throw new AssertionError("unexpected result type " + o.getClass());
    }

    private static double[] widen(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
