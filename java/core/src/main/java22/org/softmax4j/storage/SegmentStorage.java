package org.softmax4j.storage;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.softmax4j.ElementType;

/**
 * {@link MemorySegment}s (JDK 22+, in the jar's {@code META-INF/versions/22}). A native segment
 * goes to the native kernel by address, read at every call after its arena is found alive and
 * accessible; a heap segment by its array, pinned for the call like any heap array, with the
 * segment's offset in it. The Java kernel reads either through the segment (unaligned access in
 * native byte order), so it needs no native library.
 */
public final class SegmentStorage extends Storage {
    private final MemorySegment segment;

    private SegmentStorage(ElementType type, MemorySegment segment, Object array) {
        super(type, segment.byteSize() / type.bytes(), array);
        this.segment = segment;
    }

    /** The segment as elements of {@code type}; both non-null. */
    public static Storage of(MemorySegment segment, ElementType type) {
        if (!segment.scope().isAlive()) throw new IllegalStateException("segment: its arena is closed");
        int bytes = type.bytes();
        if (segment.isNative()) {
            if (segment.address() % bytes != 0) {
                throw new IllegalArgumentException("segment must be aligned to " + bytes + " bytes for " + type
                        + ", its address is " + segment.address());
            }
            return new SegmentStorage(type, segment, null);
        }
        Object array = segment.heapBase().orElseThrow(() -> new IllegalArgumentException(
                "segment is a read-only heap segment, which does not give its array to native code: pass a "
                        + "writable one, or a native segment"));
        int arrayElement = elementBytes(array);
        if (arrayElement < bytes || segment.address() % bytes != 0) {
            throw new IllegalArgumentException("segment is a heap segment over a " + array.getClass().getSimpleName()
                    + " at byte " + segment.address() + ", where " + type + " elements would be misaligned: use an "
                    + "array of " + type + " or wider, at a multiple of " + bytes + " bytes");
        }
        return new SegmentStorage(type, segment, array);
    }

    private static int elementBytes(Object array) {
        if (array instanceof byte[] || array instanceof boolean[]) return 1;
        if (array instanceof short[] || array instanceof char[]) return 2;
        if (array instanceof int[] || array instanceof float[]) return 4;
        return 8;
    }

    @Override
    public long base() {
        // Heap: the byte offset in the array; native: the address.
        return segment.address();
    }

    @Override
    public Object identity() {
        return array();
    }

    @Override
    public boolean readOnly() {
        return segment.isReadOnly();
    }

    @Override
    public void checkLive(String name) {
        if (!segment.scope().isAlive()) throw new IllegalStateException(name + ": the segment's arena is closed");
        if (!segment.isAccessibleBy(Thread.currentThread())) {
            throw new IllegalStateException(name + ": the segment is confined to another thread");
        }
    }

    @Override
    public double get(long i) {
        long at = i * type().bytes();
        return switch (type()) {
            case FLOAT32 -> segment.get(ValueLayout.JAVA_FLOAT_UNALIGNED, at);
            case FLOAT64 -> segment.get(ValueLayout.JAVA_DOUBLE_UNALIGNED, at);
            case INT32 -> segment.get(ValueLayout.JAVA_INT_UNALIGNED, at);
            case BFLOAT16, FLOAT16 -> type().toFloat(segment.get(ValueLayout.JAVA_SHORT_UNALIGNED, at));
            case BOOL -> segment.get(ValueLayout.JAVA_BYTE, at) != 0 ? 1 : 0;
        };
    }

    @Override
    public void set(long i, double v) {
        long at = i * type().bytes();
        switch (type()) {
            case FLOAT32 -> segment.set(ValueLayout.JAVA_FLOAT_UNALIGNED, at, (float) v);
            case FLOAT64 -> segment.set(ValueLayout.JAVA_DOUBLE_UNALIGNED, at, v);
            case INT32 -> segment.set(ValueLayout.JAVA_INT_UNALIGNED, at, (int) v);
            case BFLOAT16, FLOAT16 -> segment.set(ValueLayout.JAVA_SHORT_UNALIGNED, at, type().toBits((float) v));
            case BOOL -> segment.set(ValueLayout.JAVA_BYTE, at, (byte) (v != 0 ? 1 : 0));
        }
    }

    @Override
    public String kind() {
        return (segment.isNative() ? "native" : "heap") + " MemorySegment";
    }
}
