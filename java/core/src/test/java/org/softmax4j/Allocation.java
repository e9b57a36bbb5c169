package org.softmax4j;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * One allocation of a fuzz case ({@link OperationCheck}, {@link BoundaryCheck}): storage of a
 * {@link TestStorage} kind and an element type,
 * surrounded by guard zones, whose whole memory is readable as doubles (the "image") before and
 * after a call, and from which batches are made with any layout, valid or not.
 *
 * <p>Memory, in elements: {@link #GUARD} sentinels, {@code position} elements before the view
 * (a buffer's or pointer's position, a segment's slice start), the {@code capacity} elements the
 * API may use, {@code extra} elements past the view's limit, {@link #GUARD} sentinels. Heap
 * arrays are given whole (their "view" is the array; position and extra are 0 and the guards are
 * simply elements no batch reaches unless it is out of bounds). Matrices have their own shape.
 */
final class Allocation implements AutoCloseable {
    static final int GUARD = 8;

    /** How an allocation is made unusable on purpose. */
    enum Variant {
        NORMAL,
        /** A read-only buffer or segment. */
        READ_ONLY,
        /** A direct buffer in the other byte order. */
        FOREIGN_ORDER,
        /** Closed (matrix, pointer, segment's arena) before the batch is made. */
        CLOSED_BEFORE,
        /** Closed after the batch is made, before the call. */
        CLOSED_AFTER
    }

    final TestStorage kind;
    final ElementType type;
    final Variant variant;
    /** Index in the image of the view's element 0. */
    final int base;
    /** Elements the API sees (array length, position to limit, segment size; matrices rows·stride). */
    final int capacity;
    final double[] initial;
    private final Object arg;
    private final java.util.function.Supplier<double[]> reader;
    private final Runnable closer;
    private boolean closed;
    /** For {@link #viaAdapter}: the adapter's storage, once the batch is made. */
    private TestStorage.Stored[] adapted;
    /** A matrix's shape. */
    private final int rows;
    private final int cols;
    private final int stride;

    private Allocation(TestStorage kind, ElementType type, Variant variant, int base, int capacity, Object arg,
            java.util.function.Supplier<double[]> reader, Runnable closer, int rows, int cols, int stride) {
        this.kind = kind;
        this.type = type;
        this.variant = variant;
        this.base = base;
        this.capacity = capacity;
        this.arg = arg;
        this.reader = reader;
        this.closer = closer;
        this.rows = rows;
        this.cols = cols;
        this.stride = stride;
        this.initial = reader.get();
    }

    /**
     * Storage whose visible elements hold {@code body}; buffers, pointers and segments get
     * {@code position} elements before the view and {@code extra} after it, all {@code sentinel}
     * like the guards. Matrices: see {@link #matrix}.
     */
    static Allocation of(TestStorage kind, ElementType type, double[] body, int position, int extra, double sentinel,
            Variant variant) {
        int cap = body.length;
        // Half precision: through the kind's test adapter (no guard zones, no unusable variants).
        if (type.isHalf()) return viaAdapter(kind, type, variant, body);
        if (kind == TestStorage.ARRAY) {
            return switch (type) {
                case FLOAT32 -> {
                    float[] a = TestSupport.toFloat(body);
                    yield new Allocation(kind, type, variant, 0, cap, a, () -> TestSupport.toDouble(a), () -> {}, 0, 0, 0);
                }
                case FLOAT64 -> {
                    double[] a = body.clone();
                    yield new Allocation(kind, type, variant, 0, cap, a, a::clone, () -> {}, 0, 0, 0);
                }
                case BOOL -> {
                    boolean[] a = new boolean[cap];
                    for (int i = 0; i < cap; i++) a[i] = body[i] != 0;
                    yield new Allocation(kind, type, variant, 0, cap, a, () -> {
                        double[] d = new double[a.length];
                        for (int i = 0; i < a.length; i++) d[i] = a[i] ? 1 : 0;
                        return d;
                    }, () -> {}, 0, 0, 0);
                }
                case INT32 -> {
                    int[] a = new int[cap];
                    for (int i = 0; i < cap; i++) a[i] = (int) body[i];
                    yield new Allocation(kind, type, variant, 0, cap, a, () -> {
                        double[] d = new double[a.length];
                        for (int i = 0; i < a.length; i++) d[i] = a[i];
                        return d;
                    }, () -> {}, 0, 0, 0);
                }
                default -> throw new IllegalArgumentException(type + ": made by its adapter");
            };
        }
        int total = 2 * GUARD + position + cap + extra;
        double[] image = new double[total];
        Arrays.fill(image, sentinel);
        System.arraycopy(body, 0, image, GUARD + position, cap);
        int base = GUARD + position;
        int viewCap = position + cap + extra;  // buffers: capacity from GUARD; limit at position + cap
        switch (kind) {
            case HEAP_BUFFER, DIRECT_BUFFER -> {
                boolean direct = kind == TestStorage.DIRECT_BUFFER;
                ByteOrder order = variant == Variant.FOREIGN_ORDER ? foreign() : ByteOrder.nativeOrder();
                java.nio.Buffer view;
                java.util.function.Supplier<double[]> read;
                if (type == ElementType.FLOAT32) {
                    FloatBuffer all = direct ? ByteBuffer.allocateDirect(total * 4).order(order).asFloatBuffer()
                            : FloatBuffer.allocate(total);
                    all.put(TestSupport.toFloat(image)).clear();
                    FloatBuffer b = all.slice(GUARD, viewCap);
                    b.position(position).limit(position + cap);
                    view = variant == Variant.READ_ONLY ? b.asReadOnlyBuffer() : b;
                    read = () -> {
                        float[] f = new float[total];
                        all.get(0, f);
                        return TestSupport.toDouble(f);
                    };
                } else if (type == ElementType.FLOAT64) {
                    DoubleBuffer all = direct ? ByteBuffer.allocateDirect(total * 8).order(order).asDoubleBuffer()
                            : DoubleBuffer.allocate(total);
                    all.put(image).clear();
                    DoubleBuffer b = all.slice(GUARD, viewCap);
                    b.position(position).limit(position + cap);
                    view = variant == Variant.READ_ONLY ? b.asReadOnlyBuffer() : b;
                    read = () -> {
                        double[] d = new double[total];
                        all.get(0, d);
                        return d;
                    };
                } else {
                    ByteBuffer all = direct ? ByteBuffer.allocateDirect(total) : ByteBuffer.allocate(total);
                    for (int i = 0; i < total; i++) all.put(i, (byte) image[i]);
                    ByteBuffer b = all.slice(GUARD, viewCap);
                    b.position(position).limit(position + cap);
                    view = variant == Variant.READ_ONLY ? b.asReadOnlyBuffer() : b;
                    read = () -> {
                        double[] d = new double[total];
                        for (int i = 0; i < total; i++) d[i] = all.get(i);
                        return d;
                    };
                }
                return new Allocation(kind, type, variant, base, cap, view, read, () -> {}, 0, 0, 0);
            }
            case POINTER -> {
                Pointer all;
                Pointer p;
                java.util.function.Supplier<double[]> read;
                if (type == ElementType.FLOAT32) {
                    FloatPointer f = new FloatPointer(total).put(TestSupport.toFloat(image));
                    all = f;
                    p = new FloatPointer(f).position(base).limit(base + cap);
                    read = () -> {
                        float[] v = new float[total];
                        f.get(v);
                        return TestSupport.toDouble(v);
                    };
                } else if (type == ElementType.FLOAT64) {
                    DoublePointer d = new DoublePointer(total).put(image);
                    all = d;
                    p = new DoublePointer(d).position(base).limit(base + cap);
                    read = () -> {
                        double[] v = new double[total];
                        d.get(v);
                        return v;
                    };
                } else {
                    BytePointer b = new BytePointer(total);
                    for (int i = 0; i < total; i++) b.put(i, (byte) image[i]);
                    all = b;
                    p = new BytePointer(b).position(base).limit(base + cap);
                    read = () -> {
                        double[] v = new double[total];
                        for (int i = 0; i < total; i++) v[i] = b.get(i);
                        return v;
                    };
                }
                // The view shares the memory; it is freed through the allocation's own pointer,
                // after which the view reads address 0 (JavaCPP deallocates all copies).
                Pointer view = p;
                return new Allocation(kind, type, variant, base, cap, p, read, () -> {
                    all.close();
                    view.setNull();
                }, 0, 0, 0);
            }
            default -> {
                return viaAdapter(kind, type, variant, body);
            }
        }
    }

    /**
     * A storage kind this class has no guarded construction for (a kind added to
     * {@link TestStorage} later, such as MemorySegments, and half-precision storage): the kind's own test adapter holds
     * {@code body} as its whole storage, and the batch is made through it when the call makes
     * it. Every element of the storage is checked as for the other kinds; what lies beyond its
     * ends is not (the adapter allocates it).
     */
    private static Allocation viaAdapter(TestStorage kind, ElementType type, Variant variant, double[] body) {
        TestStorage.Stored[] made = new TestStorage.Stored[1];
        Allocation a = new Allocation(kind, type, variant, 0, body.length, body,
                () -> made[0] == null ? body.clone() : made[0].contents(),
                () -> { if (made[0] != null) made[0].close(); }, 0, 0, 0);
        a.adapted = made;
        return a;
    }

    /**
     * A matrix of {@code rows × cols} with the given stride holding {@code values} (rows × stride,
     * padding included); the alignment slack of its allocation holds {@code sentinel}.
     */
    static Allocation matrix(ElementType type, int rows, int cols, int stride, double[] values, double sentinel,
            Variant variant) {
        if (type == ElementType.FLOAT32) {
            FloatMatrix m = FloatMatrix.allocate(rows, cols, stride);
            FloatPointer all = (FloatPointer) m.storage();
            int length = (int) all.capacity();
            float[] image = new float[length];
            Arrays.fill(image, (float) sentinel);
            int base = (int) m.pointer().position();
            System.arraycopy(TestSupport.toFloat(values), 0, image, base, values.length);
            all.put(image);
            return new Allocation(TestStorage.MATRIX, type, variant, base, rows * stride, m, () -> {
                if (m.isClosed()) return null;
                float[] f = new float[length];
                all.get(f);
                return TestSupport.toDouble(f);
            }, m::close, rows, cols, stride);
        }
        DoubleMatrix m = DoubleMatrix.allocate(rows, cols, stride);
        DoublePointer all = (DoublePointer) m.storage();
        int length = (int) all.capacity();
        double[] image = new double[length];
        Arrays.fill(image, sentinel);
        int base = (int) m.pointer().position();
        System.arraycopy(values, 0, image, base, values.length);
        all.put(image);
        return new Allocation(TestStorage.MATRIX, type, variant, base, rows * stride, m, () -> {
            if (m.isClosed()) return null;
            double[] d = new double[length];
            all.get(d);
            return d;
        }, m::close, rows, cols, stride);
    }

    private static ByteOrder foreign() {
        return ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    }

    /**
     * A batch over this storage (the factory's checks are part of the call under test). For a
     * matrix the layout arguments are ignored: the batch is the whole matrix.
     */
    Batch batch(long offset, int rows, int cols, int stride) {
        if (adapted != null) return adaptedBatch(offset, rows, cols, stride);
        int off = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, offset));
        return switch (kind) {
            case ARRAY -> switch (type) {
                case FLOAT32 -> Batch.of((float[]) arg, off, rows, cols, stride);
                case FLOAT64 -> Batch.of((double[]) arg, off, rows, cols, stride);
                case BOOL -> Batch.of((boolean[]) arg, off, rows, cols, stride);
                case INT32 -> Batch.of((int[]) arg, off, rows, cols, stride);
                default -> throw new IllegalArgumentException(type + ": made by its adapter");
            };
            case HEAP_BUFFER, DIRECT_BUFFER -> switch (type) {
                case FLOAT32 -> Batch.of((FloatBuffer) arg, off, rows, cols, stride);
                case FLOAT64 -> Batch.of((DoubleBuffer) arg, off, rows, cols, stride);
                default -> Batch.of((ByteBuffer) arg, off, rows, cols, stride);
            };
            case POINTER -> switch (type) {
                case FLOAT32 -> Batch.of((FloatPointer) arg, offset, rows, cols, stride);
                case FLOAT64 -> Batch.of((DoublePointer) arg, offset, rows, cols, stride);
                default -> Batch.of((BytePointer) arg, offset, rows, cols, stride);
            };
            case MATRIX -> type == ElementType.FLOAT32 ? Batch.of((FloatMatrix) arg) : Batch.of((DoubleMatrix) arg);
            default -> throw new IllegalStateException(kind + " is made by its adapter");
        };
    }

    /** The batch of an allocation made {@link #viaAdapter}: its adapter makes it, once. */
    private Batch adaptedBatch(long offset, int rows, int cols, int stride) {
        if (adapted[0] != null) throw new IllegalStateException("one batch per adapted allocation");
        adapted[0] = kind.store(type, (double[]) arg, offset, rows, cols, stride);
        // What the storage holds before any call is the body as the element type stores it
        // (rounded to float or a half type, masks to 0/1): that, not the body, is what must stay
        // unchanged.
        double[] stored = adapted[0].contents();
        System.arraycopy(stored, 0, initial, 0, Math.min(stored.length, initial.length));
        return adapted[0].batch();
    }

    /** What the API receives: an array, a buffer, a pointer or a matrix. */
    Object arg() {
        return arg;
    }

    int matrixRows() {
        return rows;
    }

    int matrixCols() {
        return cols;
    }

    int matrixStride() {
        return stride;
    }

    /** The image now; null for a closed matrix, whose memory is gone. */
    double[] image() {
        return closed && (kind == TestStorage.MATRIX || kind == TestStorage.POINTER) ? null : reader.get();
    }

    /** Frees the memory on purpose (matrix, pointer), to test that it is refused. */
    void free() {
        if (!closed) {
            closed = true;
            closer.run();
        }
    }

    /**
     * Whether this class builds the kind itself, with guard zones beyond the storage's ends
     * and any number of batches over it; other kinds go through their adapter
     * ({@link #viaAdapter}), one batch each.
     */
    static boolean guarded(TestStorage kind, ElementType type) {
        return !type.isHalf() && guarded(kind);
    }

    static boolean guarded(TestStorage kind) {
        return switch (kind.name()) {
            case "ARRAY", "HEAP_BUFFER", "DIRECT_BUFFER", "POINTER", "MATRIX" -> true;
            default -> false;
        };
    }

    /** Whether this kind can be freed while a batch refers to it. */
    boolean freeable() {
        return kind == TestStorage.MATRIX || kind == TestStorage.POINTER;
    }

    @Override
    public void close() {
        free();
    }
}
