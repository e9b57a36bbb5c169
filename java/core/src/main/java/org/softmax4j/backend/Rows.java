package org.softmax4j.backend;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;

/**
 * Row access to one operand of the Java backend, whatever holds it: reads widen to double and
 * writes round to the element type. Buffer indices count from the buffer's position, as the
 * public API defines.
 */
interface Rows {
    /** dst[j] = element[start + j] for j < n. */
    void read(long start, double[] dst, int n);

    /** element[start + j] = src[j] for j < n. */
    void write(long start, double[] src, int n);

    /** element[index] = value. */
    void write(long index, double value);

    static Rows of(float[] a) {
        return new Rows() {
            public void read(long start, double[] dst, int n) {
                for (int j = 0; j < n; j++) dst[j] = a[(int) start + j];
            }

            public void write(long start, double[] src, int n) {
                for (int j = 0; j < n; j++) a[(int) start + j] = (float) src[j];
            }

            public void write(long index, double value) {
                a[(int) index] = (float) value;
            }
        };
    }

    static Rows of(double[] a) {
        return new Rows() {
            // An empty row may start past the end (n = 0 with any stride is a valid call), where
            // arraycopy would throw even for zero elements.
            public void read(long start, double[] dst, int n) {
                if (n > 0) System.arraycopy(a, (int) start, dst, 0, n);
            }

            public void write(long start, double[] src, int n) {
                if (n > 0) System.arraycopy(src, 0, a, (int) start, n);
            }

            public void write(long index, double value) {
                a[(int) index] = value;
            }
        };
    }

    static Rows of(FloatBuffer b) {
        int base = b.position();
        return new Rows() {
            public void read(long start, double[] dst, int n) {
                for (int j = 0; j < n; j++) dst[j] = b.get(base + (int) start + j);
            }

            public void write(long start, double[] src, int n) {
                for (int j = 0; j < n; j++) b.put(base + (int) start + j, (float) src[j]);
            }

            public void write(long index, double value) {
                b.put(base + (int) index, (float) value);
            }
        };
    }

    static Rows of(DoubleBuffer b) {
        int base = b.position();
        return new Rows() {
            public void read(long start, double[] dst, int n) {
                for (int j = 0; j < n; j++) dst[j] = b.get(base + (int) start + j);
            }

            public void write(long start, double[] src, int n) {
                for (int j = 0; j < n; j++) b.put(base + (int) start + j, src[j]);
            }

            public void write(long index, double value) {
                b.put(base + (int) index, value);
            }
        };
    }

    /** An optional operand: null stays null. */
    static Rows ofNullable(float[] a) {
        return a == null ? null : of(a);
    }

    static Rows ofNullable(double[] a) {
        return a == null ? null : of(a);
    }

    /** A pointer's elements from its position to its limit. */
    static Rows ofNullable(FloatPointer p) {
        return p == null ? null : of(p.asBuffer());
    }

    static Rows ofNullable(DoublePointer p) {
        return p == null ? null : of(p.asBuffer());
    }
}
