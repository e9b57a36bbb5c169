package org.softmax4j.storage;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

import org.bytedeco.javacpp.Pointer;
import org.softmax4j.ElementType;
import org.softmax4j.backend.Checks;

/**
 * NIO buffers, from their position to their limit as they are when the batch is made: heap ones
 * through their array (an {@link ArrayStorage}, pinned like any array), direct ones in place. A
 * direct buffer of floats, doubles or shorts must be in native byte order (the native kernel reads its
 * bytes as they are). The address of a direct buffer is asked of JavaCPP the first time it is
 * needed; where JavaCPP's library cannot load, the Java kernel still works (it reads through the
 * buffer), and overlap is then detected between batches of the same buffer object only.
 */
public final class BufferStorage extends Storage {
    private final Buffer view;
    private final Buffer root;
    private final long rootOffset;
    private volatile long address;
    private volatile boolean addressUnknown;

    private BufferStorage(ElementType type, Buffer root, Buffer view) {
        super(type, view.remaining(), null);
        this.root = root;
        this.rootOffset = (long) root.position() * type.bytes();
        this.view = view;
    }

    /** The elements of {@code b} from its position to its limit. */
    public static Storage of(FloatBuffer b) {
        Checks.notNull(b, "buffer");
        if (!b.isDirect()) return ArrayStorage.of(heap(b) ? b.array() : null, start(b), b.remaining());
        nativeOrder(b.order());
        return new BufferStorage(ElementType.FLOAT32, b, b.slice());
    }

    public static Storage of(DoubleBuffer b) {
        Checks.notNull(b, "buffer");
        if (!b.isDirect()) return ArrayStorage.of(heap(b) ? b.array() : null, start(b), b.remaining());
        nativeOrder(b.order());
        return new BufferStorage(ElementType.FLOAT64, b, b.slice());
    }

    /** 16-bit patterns of {@code type} (BFLOAT16 or FLOAT16, checked by the caller). */
    public static Storage of(ShortBuffer b, ElementType type) {
        Checks.notNull(b, "buffer");
        if (!b.isDirect()) return ArrayStorage.ofHalf(heap(b) ? b.array() : null, type, start(b), b.remaining());
        nativeOrder(b.order());
        return new BufferStorage(type, b, b.slice());
    }

    /** Bytes as BOOL elements (0 false, anything else true); byte order does not matter. */
    public static Storage ofBool(ByteBuffer b) {
        Checks.notNull(b, "buffer");
        if (!b.isDirect()) return ArrayStorage.ofBytes(heap(b) ? b.array() : null, start(b), b.remaining());
        return new BufferStorage(ElementType.BOOL, b, b.slice());
    }

    /**
     * A heap buffer is used through its array. A read-only heap buffer does not give its array,
     * so it has none the native kernel could pin: refused rather than copied.
     */
    private static boolean heap(Buffer b) {
        if (!b.hasArray()) {
            throw new IllegalArgumentException("buffer must be a direct buffer or have an accessible array "
                    + "(a read-only heap buffer has neither)");
        }
        return true;
    }

    private static int start(Buffer b) {
        return b.arrayOffset() + b.position();
    }

    private static void nativeOrder(ByteOrder order) {
        if (order != ByteOrder.nativeOrder()) {
            throw new IllegalArgumentException("buffer must be in native byte order (" + ByteOrder.nativeOrder()
                    + "), got " + order);
        }
    }

    @Override
    public long base() {
        long a = address;
        if (a == 0 && !addressUnknown) {
            a = resolve();
        }
        return a;
    }

    private synchronized long resolve() {
        if (address == 0 && !addressUnknown) {
            try {
                // The view has position 0, so the pointer is at its first element.
                address = new Pointer(view).address();
            } catch (LinkageError | RuntimeException e) {
                addressUnknown = true;  // no JavaCPP library: compare by buffer object instead
            }
        }
        return address;
    }

    @Override
    public Object identity() {
        return base() != 0 ? null : root;
    }

    @Override
    public long position() {
        long a = base();
        return a != 0 ? a : rootOffset;
    }

    @Override
    public boolean readOnly() {
        return view.isReadOnly();
    }

    @Override
    public double get(long i) {
        return NioAccess.get(type(), view, (int) i);
    }

    @Override
    public void set(long i, double v) {
        NioAccess.set(type(), view, (int) i, v);
    }

    @Override
    public String kind() {
        return type() == ElementType.FLOAT32 ? "direct FloatBuffer"
                : type() == ElementType.FLOAT64 ? "direct DoubleBuffer"
                : type().isHalf() ? "direct ShortBuffer" : "direct ByteBuffer";
    }
}
