package org.softmax4j.backend;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * The JDK 22+ transport of short row calls (META-INF/versions/22; src/main/java has the JDK 17
 * version, which has none): the last step of {@link NativeBackend}'s route, after every check,
 * with the same layout and op code, is a critical downcall ({@link Linker.Option#critical(boolean)}
 * with heap access) to {@code sm4j_ffm_run2}, a plain C function of the library JavaCPP loaded,
 * rather than a JNI call. The thread does not change state, and a heap array goes as a heap
 * segment's address, with no JNI pinning: a 1×10 call saves the two
 * GetPrimitiveArrayCritical/Release pairs (~18 ns of an array call) and the JNI transition.
 *
 * <p>A critical function must be short and must not block or call back into Java: while it runs,
 * its thread holds up every safepoint (a GC waits for it). So only calls that are known short go
 * this way ({@link #take}): softmax, log-softmax, log-sum-exp and the copy, of at most
 * {@value #MAX_ELEMENTS} elements in all. The core runs those on the calling thread (no OpenMP
 * team below 2 × 2^14 elements: native/src/driver.hpp), calls nothing back, and takes at most a
 * few microseconds (JMH, 128×128 softmax: 7 µs in float32, 13 µs in float64; 1×16384: 4 and 10).
 * Every other call, and every call when {@code -Dsoftmax4j.transport=jni} is set
 * ({@link Kernels#TRANSPORT_PROPERTY}), goes through JNI as on JDK 17.
 */
final class Downcall {
    private Downcall() {}

    /** The most elements (rows × n) a call through the critical downcall may have. */
    static final long MAX_ELEMENTS = 1 << 14;

    /** The last op code through it: SOFTMAX, LOG_SOFTMAX, LOG_SUM_EXP and COPY are 0..3. */
    private static final int LAST_OP = Op.COPY.code;

    /** The library to look {@code sm4j_ffm_run2} up in, set by {@link #open} before Handle loads; null: JNI only. */
    private static volatile String library;

    /**
     * Readies the transport for the library at {@code library}; returns what it is, for NativeInfo.
     *
     * @throws IllegalArgumentException if {@code -Dsoftmax4j.transport} is neither ffm nor jni
     */
    static String open(String library) {
        if (Kernels.ffmWanted()) Downcall.library = library;
        return Handle.STATUS;
    }

    /** True if this call goes through {@link #run2}: a short row call, with the transport open. */
    static boolean take(int code, int rows, int n) {
        return Handle.RUN2 != null && code >= 0 && code <= LAST_OP && (long) rows * n <= MAX_ELEMENTS;
    }

    /** The call, as NativeCore.sm4j_bridge_run2_pinned's arguments (h0, h1 null if unused). */
    static void run2(int code, int rows, int n, int k, double a, double param, long layout, Object h0, Object h1,
            long w0, long l0, long w4, long l4) {
        try {
            Handle.RUN2.invokeExact(code, (long) rows, (long) n, (long) k, a, param, layout, segment(h0),
                    segment(h1), w0, l0, w4, l4);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);  // the C function throws nothing
        }
    }

    /** The heap segment whose address the C side sees as the array's element 0; NULL for none. */
    private static MemorySegment segment(Object array) {
        if (array == null) return MemorySegment.NULL;
        if (array instanceof float[] a) return MemorySegment.ofArray(a);
        if (array instanceof double[] a) return MemorySegment.ofArray(a);
        if (array instanceof short[] a) return MemorySegment.ofArray(a);
        if (array instanceof byte[] a) return MemorySegment.ofArray(a);
        if (array instanceof int[] a) return MemorySegment.ofArray(a);
        if (array instanceof long[] a) return MemorySegment.ofArray(a);
        if (array instanceof char[] a) return MemorySegment.ofArray(a);
        throw new IllegalStateException("not an array of a primitive type: " + array.getClass().getName());
    }

    /**
     * The downcall handle, made once, on the first call after {@link #open}; a static final, so
     * that the JIT compiles the call to a direct one. If it cannot be made (the FFM API refused,
     * no such symbol), every call takes JNI, and the status and a warning say why.
     */
    private static final class Handle {
        static final MethodHandle RUN2;
        static final String STATUS;

        static {
            MethodHandle run2 = null;
            String status;
            String path = library;
            if (path == null) {
                status = "jni (-D" + Kernels.TRANSPORT_PROPERTY + "=jni)";
            } else {
                try {
                    MemorySegment symbol = SymbolLookup.libraryLookup(Path.of(path), Arena.global())
                            .find("sm4j_ffm_run2")
                            .orElseThrow(() -> new UnsatisfiedLinkError("no sm4j_ffm_run2 in " + path));
                    run2 = Linker.nativeLinker().downcallHandle(symbol,
                            FunctionDescriptor.ofVoid(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_DOUBLE,
                                    JAVA_DOUBLE, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG,
                                    JAVA_LONG),
                            Linker.Option.critical(true));
                    status = "ffm (critical downcalls for softmax, log-softmax and log-sum-exp of up to "
                            + MAX_ELEMENTS + " elements; JNI for the rest)";
                } catch (RuntimeException | LinkageError e) {
                    status = "jni (the FFM transport failed: " + e + ")";
                    System.getLogger("org.softmax4j").log(Level.WARNING, "softmax4j: " + status);
                }
            }
            RUN2 = run2;
            STATUS = status;
        }
    }
}
