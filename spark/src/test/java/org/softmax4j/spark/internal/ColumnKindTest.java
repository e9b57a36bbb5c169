package org.softmax4j.spark.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.DoubleBuffer;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading and writing Catalyst values without Spark running: null checks and result layouts. */
class ColumnKindTest {
    private static final VectorUDT UDT = (VectorUDT) SQLDataTypes.VectorType();

    private static double[] values(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = i * 0.25 - 3;
        return v;
    }

    /** A null anywhere, in the first null-bit word, the second or the last bit, is found and named. */
    @ParameterizedTest
    @ValueSource(ints = {0, 63, 64, 70, 129})
    void aNullElementOfAnUnsafeArrayIsNamed(int at) {
        int n = 130;
        UnsafeArrayData a = UnsafeArrayData.fromPrimitiveArray(values(n));
        a.setNullAt(at);
        DoubleBuffer out = DoubleBuffer.allocate(n);
        var e = assertThrows(IllegalArgumentException.class,
                () -> ColumnKind.DOUBLE_ARRAY.copy(a, n, out, 0L, 0, "x"));
        assertEquals("x: element " + at + " is null", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 64, 65, 130})
    void arraysWithoutNullsAreCopiedExactly(int n) {
        double[] v = values(n);
        DoubleBuffer out = DoubleBuffer.allocate(n + 3);
        ColumnKind.DOUBLE_ARRAY.copy(UnsafeArrayData.fromPrimitiveArray(v), n, out, 0L, 3, "x");
        double[] got = new double[n];
        out.get(3, got);
        assertArrayEquals(v, got);
        ColumnKind.DOUBLE_ARRAY.copy(new GenericArrayData(box(v)), n, out, 0L, 0, "x");
        out.get(0, got);
        assertArrayEquals(v, got);
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 70})
    void aNullElementOfAGenericArrayIsNamed(int at) {
        Object[] boxed = box(values(80));
        boxed[at] = null;
        var e = assertThrows(IllegalArgumentException.class,
                () -> ColumnKind.DOUBLE_ARRAY.copy(new GenericArrayData(boxed), 80, DoubleBuffer.allocate(80), 0L, 0, "y"));
        assertEquals("y: element " + at + " is null", e.getMessage());
    }

    /** The dense vector written straight from a buffer is what VectorUDT would have made of it. */
    @ParameterizedTest
    @ValueSource(ints = {1, 10, 100})
    void vectorResultsAreVectorUdtsDenseForm(int n) {
        double[] v = values(n + 2);
        Object made = ColumnKind.VECTOR.rowResult(DoubleBuffer.wrap(v), 2, n);
        Vector back = UDT.deserialize(made);
        double[] expected = java.util.Arrays.copyOfRange(v, 2, n + 2);
        assertEquals(Vectors.dense(expected), back);
        InternalRow serialized = UDT.serialize(Vectors.dense(expected));
        InternalRow ours = (InternalRow) made;
        assertEquals(serialized.getByte(0), ours.getByte(0));
        assertEquals(serialized.isNullAt(1), ours.isNullAt(1));
        assertEquals(serialized.isNullAt(2), ours.isNullAt(2));
        assertArrayEquals(serialized.getArray(3).toDoubleArray(), ours.getArray(3).toDoubleArray());
        UnsafeArrayData array = (UnsafeArrayData) ColumnKind.DOUBLE_ARRAY.rowResult(DoubleBuffer.wrap(v), 2, n);
        assertArrayEquals(expected, array.toDoubleArray());
    }

    private static Object[] box(double[] v) {
        Object[] o = new Object[v.length];
        for (int i = 0; i < v.length; i++) o[i] = v[i];
        return o;
    }
}
