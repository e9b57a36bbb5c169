package org.softmax4j;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * MemorySegments for the tests, which compile at release 17: the JDK 22 foreign-memory API and
 * the library's {@code Segments} (present only in the jar's {@code META-INF/versions/22}) reached
 * through method handles. {@link #available()} is false below JDK 22 and when the classes come
 * from {@code target/classes} (Surefire), where the versioned part is not on the class path; the
 * packaged-jar tests (Failsafe on JDK 22+) then run the segment kinds.
 */
public final class SegmentSupport {
    private SegmentSupport() {}

    private static final boolean AVAILABLE;
    private static final Class<?> SEGMENT;
    private static MethodHandle ofShared;
    private static MethodHandle ofConfined;
    private static MethodHandle allocate;
    private static MethodHandle close;
    private static MethodHandle ofArray;
    private static MethodHandle asSlice;
    private static MethodHandle asReadOnly;
    private static MethodHandle copyIn;
    private static MethodHandle copyOut;
    private static MethodHandle segmentsOf;
    private static Object floatLayout;
    private static Object doubleLayout;
    private static Object byteLayout;
    private static Object shortLayout;

    static {
        boolean ok = false;
        Class<?> seg = null, arena = null, layout = null;
        try {
            seg = Class.forName("java.lang.foreign.MemorySegment");
            arena = Class.forName("java.lang.foreign.Arena");
            layout = Class.forName("java.lang.foreign.ValueLayout");
            Class<?> segments = Class.forName("org.softmax4j.Segments");
            MethodHandles.Lookup l = MethodHandles.publicLookup();
            ofShared = l.findStatic(arena, "ofShared", MethodType.methodType(arena));
            ofConfined = l.findStatic(arena, "ofConfined", MethodType.methodType(arena));
            allocate = l.findVirtual(arena, "allocate", MethodType.methodType(seg, long.class, long.class));
            close = l.findVirtual(arena, "close", MethodType.methodType(void.class));
            asSlice = l.findVirtual(seg, "asSlice", MethodType.methodType(seg, long.class, long.class));
            asReadOnly = l.findVirtual(seg, "asReadOnly", MethodType.methodType(seg));
            copyIn = l.findStatic(seg, "copy", MethodType.methodType(void.class, Object.class, int.class, seg,
                    layout, long.class, int.class));
            copyOut = l.findStatic(seg, "copy", MethodType.methodType(void.class, seg, layout, long.class,
                    Object.class, int.class, int.class));
            segmentsOf = l.findStatic(segments, "of", MethodType.methodType(Batch.class, seg, ElementType.class,
                    long.class, int.class, int.class, int.class));
            floatLayout = layout.getField("JAVA_FLOAT").get(null);
            doubleLayout = layout.getField("JAVA_DOUBLE").get(null);
            byteLayout = layout.getField("JAVA_BYTE").get(null);
            shortLayout = layout.getField("JAVA_SHORT").get(null);
            ofArray = MethodHandles.lookup().findStatic(SegmentSupport.class, "ofArrayOf",
                    MethodType.methodType(Object.class, Object.class));
            ok = true;
        } catch (ReflectiveOperationException | LinkageError e) {
            // Below JDK 22, or the library's versioned classes are not on the class path.
        }
        AVAILABLE = ok;
        SEGMENT = seg;
    }

    /** Whether MemorySegments and softmax4j's Segments can be used here. */
    public static boolean available() {
        return AVAILABLE;
    }

    /** An arena, closed by {@link #close()}. */
    public static final class Arena implements AutoCloseable {
        private final Object arena;
        private boolean closed;

        private Arena(MethodHandle factory) {
            try {
                arena = factory.invoke();
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        /** A native segment of {@code bytes}, aligned to {@code alignment}. */
        public Object allocate(long bytes, long alignment) {
            try {
                return allocate.invoke(arena, bytes, alignment);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        /** Closes the arena; closing it again (a test closes it early, then try-with-resources) does nothing. */
        @Override
        public void close() {
            if (closed) return;
            closed = true;
            try {
                close.invoke(arena);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
    }

    /** A new shared arena (segments usable from any thread). */
    public static Arena sharedArena() {
        return new Arena(ofShared);
    }

    /** A new confined arena (segments usable from this thread only). */
    public static Arena confinedArena() {
        return new Arena(ofConfined);
    }

    private static Object ofArrayOf(Object array) throws Throwable {
        MethodHandle h = MethodHandles.publicLookup().findStatic(SEGMENT, "ofArray",
                MethodType.methodType(SEGMENT, array.getClass()));
        return h.invoke(array);
    }

    /** A heap segment over the array (float[], double[], byte[], ...). */
    public static Object ofArray(Object array) {
        try {
            return ofArray.invoke(array);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** {@code bytes} bytes of the segment from {@code byteOffset}. */
    public static Object slice(Object segment, long byteOffset, long bytes) {
        try {
            return asSlice.invoke(segment, byteOffset, bytes);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static Object readOnly(Object segment) {
        try {
            return asReadOnly.invoke(segment);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static Object layout(ElementType type) {
        return switch (type) {
            case FLOAT32 -> floatLayout;
            case FLOAT64 -> doubleLayout;
            case BFLOAT16, FLOAT16 -> shortLayout;
            default -> byteLayout;
        };
    }

    /** values (as float[], double[], short[] or byte[] for the type) into the segment from byte 0. */
    public static void write(Object segment, ElementType type, Object values, int count) {
        try {
            copyIn.invoke(values, 0, segment, layout(type), 0L, count);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** count elements of the segment from byte 0 into an array (float[], double[] or byte[]). */
    public static void read(Object segment, ElementType type, Object into, int count) {
        try {
            copyOut.invoke(segment, layout(type), 0L, into, 0, count);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Segments.of(segment, type, offset, rows, cols, stride). */
    public static Batch batch(Object segment, ElementType type, long offset, int rows, int cols, int stride) {
        try {
            return (Batch) segmentsOf.invoke(segment, type, offset, rows, cols, stride);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
