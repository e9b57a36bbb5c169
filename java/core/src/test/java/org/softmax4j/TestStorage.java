package org.softmax4j;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.function.Supplier;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.ShortPointer;

/**
 * The tests' one adapter per storage kind: storage of a kind holding given values (rounded to an
 * element type), viewed as a {@link Batch}, and read back whole afterwards, so that a test can
 * check both the results and that nothing around them was written. Buffers and pointers start
 * {@link TestSupport#POSITION} elements into their allocation (heap buffers are slices too, with
 * a non-zero array offset), so that positions are honoured. Every agreement, edge-case,
 * concurrency and validation test runs over {@link #values()}; a new storage kind adds one
 * constant here.
 */
public enum TestStorage {
    ARRAY, HEAP_BUFFER, DIRECT_BUFFER, POINTER, MATRIX,
    /** A native MemorySegment of a shared arena (JDK 22+, the packaged jar). */
    SEGMENT,
    /** A heap MemorySegment over an array of the element type (JDK 22+, the packaged jar). */
    HEAP_SEGMENT;

    /** Whether batches of this kind can be made here. */
    public boolean available() {
        return (this != SEGMENT && this != HEAP_SEGMENT) || SegmentSupport.available();
    }

    /** One operand in storage of some kind; {@link #contents} reads all of it back. */
    public interface Stored extends AutoCloseable {
        Batch batch();

        /** Every element of the storage (from a buffer's or pointer's position), as doubles. */
        double[] contents();

        @Override
        void close();
    }

    /** True for the kinds whose memory is on the Java heap. */
    public boolean onHeap() {
        return this == ARRAY || this == HEAP_BUFFER || this == HEAP_SEGMENT;
    }

    /**
     * Storage of this kind holding {@code contents} as {@code type} (FLOAT32, FLOAT64, BFLOAT16,
     * FLOAT16 (not in matrices) or BOOL; INT32 for arrays), viewed as {@code rows × cols} with {@code stride} from {@code offset}.
     * For {@link #MATRIX}, offset must be 0 and contents is the rows × stride memory; a BOOL
     * "matrix" is a {@link BytePointer}.
     */
    public Stored store(ElementType type, double[] contents, long offset, int rows, int cols, int stride) {
        int off = Math.toIntExact(offset);
        if (this == MATRIX && type != ElementType.BOOL) {
            if (offset != 0) throw new IllegalArgumentException("matrices have no offsets");
            // rows × stride elements; what contents does not cover is SENTINEL.
            double[] memory = java.util.Arrays.copyOf(contents, Math.max(contents.length, rows * stride));
            java.util.Arrays.fill(memory, contents.length, memory.length, TestSupport.SENTINEL);
            if (type == ElementType.FLOAT32) {
                FloatMatrix m = FloatMatrix.allocate(rows, cols, stride);
                m.pointer().put(TestSupport.toFloat(memory), 0, (int) m.size());
                return stored(Batch.of(m), () -> {
                    float[] f = new float[(int) m.size()];
                    m.pointer().get(f);
                    return TestSupport.toDouble(f);
                }, m::close);
            }
            DoubleMatrix m = DoubleMatrix.allocate(rows, cols, stride);
            m.pointer().put(memory, 0, (int) m.size());
            return stored(Batch.of(m), () -> {
                double[] d = new double[(int) m.size()];
                m.pointer().get(d);
                return d;
            }, m::close);
        }
        if (type.isHalf() && this != SEGMENT && this != HEAP_SEGMENT) return half(type, contents, offset, rows, cols, stride);
        switch (this) {
            case SEGMENT, HEAP_SEGMENT -> {
                return segment(type, contents, offset, rows, cols, stride);
            }
            case ARRAY -> {
                return switch (type) {
                    case FLOAT32 -> {
                        float[] a = TestSupport.toFloat(contents);
                        yield stored(Batch.of(a, off, rows, cols, stride), () -> TestSupport.toDouble(a), () -> {});
                    }
                    case FLOAT64 -> {
                        double[] a = contents.clone();
                        yield stored(Batch.of(a, off, rows, cols, stride), a::clone, () -> {});
                    }
                    case BOOL -> {
                        boolean[] a = new boolean[contents.length];
                        for (int i = 0; i < a.length; i++) a[i] = contents[i] != 0;
                        yield stored(Batch.of(a, off, rows, cols, stride), () -> {
                            double[] d = new double[a.length];
                            for (int i = 0; i < a.length; i++) d[i] = a[i] ? 1 : 0;
                            return d;
                        }, () -> {});
                    }
                    case INT32 -> {
                        int[] a = new int[contents.length];
                        for (int i = 0; i < a.length; i++) a[i] = (int) contents[i];
                        yield stored(Batch.of(a, off, rows, cols, stride), () -> {
                            double[] d = new double[a.length];
                            for (int i = 0; i < a.length; i++) d[i] = a[i];
                            return d;
                        }, () -> {});
                    }
                    default -> throw new IllegalArgumentException(type + " in an array");  // halves: above
                };
            }
            case HEAP_BUFFER, DIRECT_BUFFER -> {
                boolean direct = this == DIRECT_BUFFER;
                int p = TestSupport.POSITION;
                switch (type) {
                    case FLOAT32 -> {
                        FloatBuffer b = TestSupport.floatBuffer(TestSupport.toFloat(contents), direct);
                        return stored(Batch.of(b, off, rows, cols, stride), () -> {
                            checkPosition(b.position());
                            double[] d = new double[contents.length];
                            for (int i = 0; i < d.length; i++) d[i] = b.get(p + i);
                            return d;
                        }, () -> {});
                    }
                    case FLOAT64 -> {
                        DoubleBuffer b = TestSupport.doubleBuffer(contents, direct);
                        return stored(Batch.of(b, off, rows, cols, stride), () -> {
                            checkPosition(b.position());
                            double[] d = new double[contents.length];
                            for (int i = 0; i < d.length; i++) d[i] = b.get(p + i);
                            return d;
                        }, () -> {});
                    }
                    case BOOL -> {
                        ByteBuffer b = direct ? ByteBuffer.allocateDirect(p + contents.length)
                                : ByteBuffer.allocate(p + contents.length + 2).slice(1, p + contents.length);
                        for (int i = 0; i < contents.length; i++) b.put(p + i, (byte) (contents[i] != 0 ? 1 : 0));
                        b.position(p);
                        return stored(Batch.of(b, off, rows, cols, stride), () -> {
                            checkPosition(b.position());
                            double[] d = new double[contents.length];
                            for (int i = 0; i < d.length; i++) d[i] = b.get(p + i);
                            return d;
                        }, () -> {});
                    }
                    default -> throw new IllegalArgumentException(type + " in a buffer");
                }
            }
            default -> {
                switch (type) {
                    case FLOAT32 -> {
                        FloatPointer ptr = TestSupport.floatPointer(TestSupport.toFloat(contents));
                        return stored(Batch.of(ptr, offset, rows, cols, stride), () -> {
                            float[] f = new float[contents.length];
                            ptr.get(f);
                            return TestSupport.toDouble(f);
                        }, ptr::close);
                    }
                    case FLOAT64 -> {
                        DoublePointer ptr = TestSupport.doublePointer(contents);
                        return stored(Batch.of(ptr, offset, rows, cols, stride), () -> {
                            double[] d = new double[contents.length];
                            ptr.get(d);
                            return d;
                        }, ptr::close);
                    }
                    case BOOL -> {
                        BytePointer ptr = new BytePointer(TestSupport.POSITION + contents.length);
                        ptr.position(TestSupport.POSITION);
                        for (int i = 0; i < contents.length; i++) ptr.put(i, (byte) (contents[i] != 0 ? 1 : 0));
                        return stored(Batch.of(ptr, offset, rows, cols, stride), () -> {
                            double[] d = new double[contents.length];
                            for (int i = 0; i < d.length; i++) d[i] = ptr.get(i);
                            return d;
                        }, ptr::close);
                    }
                    default -> throw new IllegalArgumentException(type + " in a pointer");
                }
            }
        }
    }

    /** contents as half-precision bit patterns, rounded as the library rounds an output. */
    static short[] toHalf(ElementType type, double[] contents) {
        short[] h = new short[contents.length];
        for (int i = 0; i < h.length; i++) h[i] = type.toBits((float) contents[i]);
        return h;
    }

    static double[] fromHalf(ElementType type, short[] h) {
        double[] d = new double[h.length];
        for (int i = 0; i < d.length; i++) d[i] = type.toFloat(h[i]);
        return d;
    }

    /** short[], a ShortBuffer (heap or direct, positioned) or a ShortPointer of half patterns. */
    private Stored half(ElementType type, double[] contents, long offset, int rows, int cols, int stride) {
        int off = Math.toIntExact(offset);
        short[] bits = toHalf(type, contents);
        int p = TestSupport.POSITION;
        switch (this) {
            case ARRAY -> {
                return stored(Batch.of(bits, type, off, rows, cols, stride), () -> fromHalf(type, bits), () -> {});
            }
            case HEAP_BUFFER, DIRECT_BUFFER -> {
                ShortBuffer b = this == DIRECT_BUFFER
                        ? ByteBuffer.allocateDirect(2 * (p + bits.length)).order(java.nio.ByteOrder.nativeOrder()).asShortBuffer()
                        : ShortBuffer.allocate(p + bits.length + 2).slice(1, p + bits.length);
                b.position(p);
                b.duplicate().put(bits);
                return stored(Batch.of(b, type, off, rows, cols, stride), () -> {
                    checkPosition(b.position());
                    short[] h = new short[bits.length];
                    b.duplicate().get(h);
                    return fromHalf(type, h);
                }, () -> {});
            }
            case POINTER -> {
                ShortPointer ptr = new ShortPointer(p + bits.length);
                ptr.position(p);
                ptr.put(bits);
                return stored(Batch.of(ptr, type, offset, rows, cols, stride), () -> {
                    short[] h = new short[bits.length];
                    ptr.get(h);
                    return fromHalf(type, h);
                }, ptr::close);
            }
            default -> throw new IllegalArgumentException(type + " in " + this);
        }
    }

    /**
     * A segment holding contents from element {@link TestSupport#POSITION} of its allocation (a
     * slice, so that the batch counts from the slice's start): native from a shared arena, or
     * over an array of the element type.
     */
    private Stored segment(ElementType type, double[] contents, long offset, int rows, int cols, int stride) {
        int p = TestSupport.POSITION;
        int total = p + contents.length;
        Object array = switch (type) {
            case FLOAT32 -> new float[total];
            case FLOAT64 -> new double[total];
            case BFLOAT16, FLOAT16 -> new short[total];
            default -> new byte[total];
        };
        for (int i = 0; i < contents.length; i++) {
            if (array instanceof float[] f) f[p + i] = (float) contents[i];
            else if (array instanceof double[] d) d[p + i] = contents[i];
            else if (array instanceof short[] h) h[p + i] = type.toBits((float) contents[i]);
            else ((byte[]) array)[p + i] = (byte) (contents[i] != 0 ? 1 : 0);
        }
        SegmentSupport.Arena arena = this == SEGMENT ? SegmentSupport.sharedArena() : null;
        int bytes = type.bytes();
        Object all = arena != null ? arena.allocate((long) total * bytes, 64) : SegmentSupport.ofArray(array);
        if (arena != null) SegmentSupport.write(all, type, array, total);
        Object view = SegmentSupport.slice(all, (long) p * bytes, (long) contents.length * bytes);
        Batch b;
        try {
            b = SegmentSupport.batch(view, type, offset, rows, cols, stride);
        } catch (RuntimeException e) {
            if (arena != null) arena.close();
            throw e;
        }
        return stored(b, () -> {
            Object into = type == ElementType.FLOAT32 ? new float[contents.length]
                    : type == ElementType.FLOAT64 ? new double[contents.length]
                    : type.isHalf() ? new short[contents.length] : new byte[contents.length];
            SegmentSupport.read(view, type, into, contents.length);
            if (into instanceof float[] f) return TestSupport.toDouble(f);
            if (into instanceof double[] d) return d;
            if (into instanceof short[] h) return fromHalf(type, h);
            double[] d = new double[contents.length];
            for (int i = 0; i < d.length; i++) d[i] = ((byte[]) into)[i];
            return d;
        }, arena != null ? arena::close : () -> {});
    }

    private static void checkPosition(int position) {
        if (position != TestSupport.POSITION) throw new AssertionError("position moved");
    }

    private static Stored stored(Batch b, Supplier<double[]> read, Runnable close) {
        return new Stored() {
            public Batch batch() {
                return b;
            }

            public double[] contents() {
                return read.get();
            }

            public void close() {
                close.run();
            }
        };
    }
}
