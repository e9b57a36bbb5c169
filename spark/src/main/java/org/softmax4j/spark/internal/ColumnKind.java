package org.softmax4j.spark.internal;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.Platform;

/**
 * The column types the module reads and writes, in Catalyst's internal form: {@code array<float>}
 * ({@link ArrayData} of floats), {@code array<double>} and Spark ML's {@code Vector} (a struct
 * {@code (type: byte, size: int, indices: array<int>, values: array<double>)}, type 0 sparse, 1
 * dense). One class knows these layouts; the block code only asks for lengths and copies.
 *
 * <p>Reading checks every value it is given: a null element is an {@link IllegalArgumentException}
 * naming the column and the element, never a read outside the value.
 */
public enum ColumnKind {
    FLOAT_ARRAY,
    DOUBLE_ARRAY,
    VECTOR;

    private static final VectorUDT VECTOR_UDT = (VectorUDT) SQLDataTypes.VectorType();

    /** The kind of a column type, or null if the module does not take it. */
    public static ColumnKind of(DataType t) {
        if (t instanceof ArrayType a) {
            if (a.elementType() == DataTypes.FloatType) return FLOAT_ARRAY;
            if (a.elementType() == DataTypes.DoubleType) return DOUBLE_ARRAY;
            return null;
        }
        return t instanceof VectorUDT ? VECTOR : null;
    }

    /** "array<float>, array<double> or vector": what {@link #of} accepts, for messages. */
    public static final String ACCEPTED = "array<float>, array<double> or vector";

    /** True if rows of this kind are computed in single precision. */
    public boolean single() {
        return this == FLOAT_ARRAY;
    }

    /** The type of a whole-row result of this kind (arrays never hold nulls). */
    public DataType rowType() {
        return switch (this) {
            case FLOAT_ARRAY -> DataTypes.createArrayType(DataTypes.FloatType, false);
            case DOUBLE_ARRAY -> DataTypes.createArrayType(DataTypes.DoubleType, false);
            case VECTOR -> VECTOR_UDT;
        };
    }

    /** The type of a one-value-per-row result (log-sum-exp). */
    public DataType scalarType() {
        return this == FLOAT_ARRAY ? DataTypes.FloatType : DataTypes.DoubleType;
    }

    /** Elements of a value of this kind (a vector's size, also for a sparse one). */
    public int length(Object value) {
        if (this == VECTOR) {
            InternalRow v = (InternalRow) value;
            return v.getByte(0) == 0 ? v.getInt(1) : v.getArray(3).numElements();
        }
        return ((ArrayData) value).numElements();
    }

    /**
     * Copies a value of {@code n} = {@link #length} elements to {@code out} from index {@code at}
     * as doubles (floats widened). A sparse vector is expanded with its zeros. With
     * {@code address} the address of {@code out}'s element 0 (0 for a heap buffer), packed
     * elements go over in one copy.
     *
     * @param what names the column in an error
     */
    public void copy(Object value, int n, DoubleBuffer out, long address, int at, String what) {
        fits(out.capacity(), at, n);
        switch (this) {
            case FLOAT_ARRAY -> {
                ArrayData a = (ArrayData) value;
                checkNoNulls(a, n, what);
                for (int i = 0; i < n; i++) out.put(at + i, a.getFloat(i));
            }
            case DOUBLE_ARRAY -> copyDoubles((ArrayData) value, n, out, address, at, what);
            case VECTOR -> {
                InternalRow v = (InternalRow) value;
                if (v.getByte(0) == 0) {
                    for (int i = 0; i < n; i++) out.put(at + i, 0.0);
                    ArrayData idx = v.getArray(2);
                    ArrayData val = v.getArray(3);
                    for (int i = 0; i < idx.numElements(); i++) {
                        int j = idx.getInt(i);
                        if (j < 0 || j >= n) {
                            throw new IllegalArgumentException(what + ": sparse vector of size " + n + " has index " + j);
                        }
                        out.put(at + j, val.getDouble(i));
                    }
                } else {
                    copyDoubles(v.getArray(3), n, out, address, at, what);
                }
            }
        }
    }

    /**
     * Copies a float array of {@code n} elements to {@code out} from index {@code at}; with
     * {@code address} the address of {@code out}'s element 0 (0 for a heap buffer), packed
     * elements go over in one copy.
     */
    public void copy(Object value, int n, FloatBuffer out, long address, int at, String what) {
        fits(out.capacity(), at, n);
        if (this != FLOAT_ARRAY) throw new IllegalStateException(this + " is not read as floats");
        ArrayData a = (ArrayData) value;
        checkNoNulls(a, n, what);
        if (a instanceof UnsafeArrayData u && address != 0) {
            // One copy of the packed elements, after the null bits of the header; the block's
            // owner has checked that at + n fits.
            Platform.copyMemory(u.getBaseObject(), u.getBaseOffset() + UnsafeArrayData.calculateHeaderPortionInBytes(n),
                    null, address + (long) at * Float.BYTES, (long) n * Float.BYTES);
        } else {
            for (int i = 0; i < n; i++) out.put(at + i, a.getFloat(i));
        }
    }

    private static void copyDoubles(ArrayData a, int n, DoubleBuffer out, long address, int at, String what) {
        checkNoNulls(a, n, what);
        if (a instanceof UnsafeArrayData u && address != 0) {
            Platform.copyMemory(u.getBaseObject(), u.getBaseOffset() + UnsafeArrayData.calculateHeaderPortionInBytes(n),
                    null, address + (long) at * Double.BYTES, (long) n * Double.BYTES);
        } else {
            for (int i = 0; i < n; i++) out.put(at + i, a.getDouble(i));
        }
    }

    /** The memory copies below rely on this. */
    private static void fits(int capacity, int at, int n) {
        if (at < 0 || n < 0 || n > capacity - at) {
            throw new IndexOutOfBoundsException(n + " elements from " + at + " do not fit a block of " + capacity);
        }
    }

    private static void checkNoNulls(ArrayData a, int n, String what) {
        if (a.numElements() != n) throw new IllegalStateException("length changed");
        if (a instanceof UnsafeArrayData u && noNullBits(u, n)) return;
        for (int i = 0; i < n; i++) {
            if (a.isNullAt(i)) throw new IllegalArgumentException(what + ": element " + i + " is null");
        }
    }

    /**
     * True if no null bit of an unsafe array is set. Its header is the element count (8 bytes),
     * then one null bit per element in 64-bit words: reading a word at a time replaces an
     * {@code isNullAt} call per element, which took a tenth of a scoring task. A set bit sends the
     * caller to the per-element loop, which names the element.
     */
    private static boolean noNullBits(UnsafeArrayData u, int n) {
        Object base = u.getBaseObject();
        long bits = u.getBaseOffset() + Long.BYTES;
        for (int w = 0, words = (n + 63) >>> 6; w < words; w++) {
            if (Platform.getLong(base, bits + (long) w * Long.BYTES) != 0) return false;
        }
        return true;
    }

    /**
     * A whole-row result of this kind from {@code n} doubles of {@code in} at index {@code at},
     * written straight into Catalyst's array (no intermediate {@code double[]} or
     * {@link org.apache.spark.ml.linalg.Vector}).
     */
    public Object rowResult(DoubleBuffer in, int at, int n) {
        UnsafeArrayData values = UnsafeArrayData.createFreshArray(n, Double.BYTES);
        for (int i = 0; i < n; i++) values.setDouble(i, in.get(at + i));
        // A dense vector in VectorUDT's form: (type 1, size null, indices null, values), as its
        // serialize builds it.
        return this == VECTOR ? new GenericInternalRow(new Object[] {DENSE, null, null, values}) : values;
    }

    private static final Byte DENSE = (byte) 1;

    /** A whole-row result from {@code n} floats of {@code in} at index {@code at}. */
    public Object rowResult(FloatBuffer in, int at, int n) {
        UnsafeArrayData values = UnsafeArrayData.createFreshArray(n, Float.BYTES);
        for (int i = 0; i < n; i++) values.setFloat(i, in.get(at + i));
        return values;
    }

    /** A whole-row result of this kind holding the values of {@code v}. */
    public Object rowResult(double[] v) {
        return rowResult(DoubleBuffer.wrap(v), 0, v.length);
    }

    /** A one-value result of this kind. */
    public Object scalarResult(double v) {
        return this == FLOAT_ARRAY ? (Object) (float) v : (Object) v;
    }

    /** A value of this kind as doubles (for the row-at-a-time path). */
    public double[] toDoubles(Object value, String what) {
        int n = length(value);
        double[] d = new double[n];
        copy(value, n, DoubleBuffer.wrap(d), 0L, 0, what);
        return d;
    }

    /** A float-array value as floats (for the row-at-a-time path). */
    public float[] toFloats(Object value, String what) {
        int n = length(value);
        float[] f = new float[n];
        copy(value, n, FloatBuffer.wrap(f), 0L, 0, what);
        return f;
    }
}
