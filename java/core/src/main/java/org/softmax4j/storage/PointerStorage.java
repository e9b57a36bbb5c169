package org.softmax4j.storage;

import java.nio.Buffer;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.ShortPointer;
import org.softmax4j.ElementType;
import org.softmax4j.OffHeapMatrix;
import org.softmax4j.backend.Checks;

/**
 * JavaCPP pointers, from their position to their limit as they are when the batch is made, and
 * the memory of a {@link org.softmax4j.FloatMatrix}/{@link org.softmax4j.DoubleMatrix} (its
 * pointer, with the matrix as owner). The address is read again at every call, and the memory
 * is never touched once it is gone: a pointer at address 0 (closed or deallocated) is refused
 * with {@link NullPointerException}, a closed matrix with {@link IllegalStateException}.
 */
public final class PointerStorage extends Storage {
    private final Pointer pointer;
    private final long position;
    private final OffHeapMatrix owner;
    private final String kind;
    private volatile Buffer view;

    private PointerStorage(ElementType type, Pointer p, OffHeapMatrix owner, String kind) {
        super(type, Math.max(0, p.limit() - p.position()), null);
        this.pointer = p;
        this.position = p.position();
        this.owner = owner;
        this.kind = kind;
    }

    public static Storage of(FloatPointer p) {
        return new PointerStorage(ElementType.FLOAT32, live(p), null, "FloatPointer");
    }

    public static Storage of(DoublePointer p) {
        return new PointerStorage(ElementType.FLOAT64, live(p), null, "DoublePointer");
    }

    /** 16-bit patterns of {@code type} (BFLOAT16 or FLOAT16, checked by the caller). */
    public static Storage of(ShortPointer p, ElementType type) {
        return new PointerStorage(type, live(p), null, "ShortPointer");
    }

    /** Bytes as BOOL elements. */
    public static Storage ofBool(BytePointer p) {
        return new PointerStorage(ElementType.BOOL, live(p), null, "BytePointer");
    }

    /**
     * A matrix's memory: {@code p} is its pointer at element (0, 0) with its limit at the end,
     * {@code type} its element type; liveness is the matrix's.
     */
    public static Storage ofMatrix(OffHeapMatrix m, Pointer p, ElementType type) {
        return new PointerStorage(type, p, m, m.getClass().getSimpleName());
    }

    private static <P extends Pointer> P live(P p) {
        Checks.notNull(p, "pointer");
        if (p.isNull()) throw new NullPointerException("pointer points to address 0");
        return p;
    }

    @Override
    public long base() {
        long a = pointer.address();
        return a == 0 ? 0 : a + position * type().bytes();
    }

    @Override
    public Object identity() {
        return null;
    }

    @Override
    public void checkLive(String name) {
        if (owner != null) {
            if (owner.isClosed()) throw new IllegalStateException(name + ": " + owner + " is closed");
        } else if (pointer.isNull()) {
            throw new NullPointerException(name + " points to address 0 (closed or deallocated)");
        }
    }

    @Override
    public double get(long i) {
        return NioAccess.get(type(), view(), Math.toIntExact(i));
    }

    @Override
    public void set(long i, double v) {
        NioAccess.set(type(), view(), Math.toIntExact(i), v);
    }

    /**
     * The memory as a typed NIO view from element 0, made on first use (by the Java kernel only,
     * after {@link #checkLive}). Made from the position and limit the batch saw, not the
     * pointer's current ones. JavaCPP starts a float, double or short view at the position, but a byte
     * view at the address with its position set, hence the slice.
     */
    private Buffer view() {
        if (view == null) {
            long end = position + length();
            Buffer b;
            if (pointer instanceof FloatPointer f) {
                b = new FloatPointer(f).position(position).limit(end).asBuffer();
            } else if (pointer instanceof DoublePointer d) {
                b = new DoublePointer(d).position(position).limit(end).asBuffer();
            } else if (pointer instanceof ShortPointer h) {
                b = new ShortPointer(h).position(position).limit(end).asBuffer();
            } else {
                b = new BytePointer(pointer).position(position).limit(end).asBuffer();
            }
            view = b.position() == 0 ? b : b.slice();
        }
        return view;
    }

    @Override
    public String kind() {
        return kind;
    }
}
