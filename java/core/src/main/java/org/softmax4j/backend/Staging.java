package org.softmax4j.backend;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.softmax4j.Batch;

/**
 * A thread's staging area for short heap-array row calls on the JNI transport: the rows are
 * copied into it, the call goes through the direct-address bridge (no JNI critical regions), and
 * the output is copied back. On JDK 17 a 1×10 float softmax spends ~18 ns in the two
 * GetPrimitiveArrayCritical/Release pairs of the pinned bridge; the two copies of 40 bytes cost a
 * few. (On JDK 22+ the FFM transport takes these calls first, with no copy at all.)
 *
 * <p>Which calls ({@link #fits}): softmax, log-softmax, log-sum-exp and the copy, without flags
 * (they read only the input and write every element of the output, so nothing of the output
 * needs copying in); every heap-array operand one contiguous run (one row, or rows without gaps)
 * of at most {@link #OPERAND_BYTES} bytes, in a float[], double[] or short[] (bfloat16/float16).
 * Either every array operand is staged or none is: an array left out would need pinning, which
 * the direct-address bridge does not do. Past 512 bytes the copies cost more than the pinning
 * saves (prototype, JDK 17: 1×256 floats 149 → 159 ns).
 *
 * <p>In place: after the route's overlap check two operands in one array either are the same
 * region (same start, stride and width: an in-place call) or do not overlap. The same region is
 * staged once and both slots get its address, so the kernel sees exactly the aliasing it would
 * have seen in the array. Disjoint regions are staged apart.
 *
 * <p>Who owns the memory: the area is a C++ {@code thread_local} of the bridge library
 * ({@code sm4j_bridge_stage} in softmax4j_bridge.h), 1 KiB per thread, allocated by the C runtime
 * on the thread's first staged call and released by it when the thread exits: deterministic, no
 * allocation per call, nothing waiting for a garbage collector or a Cleaner (as a direct
 * ByteBuffer or a JavaCPP Pointer held in a ThreadLocal would be). This object only records the
 * address and views of it, and is reached through a {@link ThreadLocal} of the thread whose area
 * it is; it is never handed to another thread.
 *
 * <p>Platform threads only ({@link #platformThread}): a virtual thread's ThreadLocal is its own,
 * but the native thread under it (the carrier) changes, so it would hold another thread's area;
 * and a per-virtual-thread area would pin 1 KiB for each of possibly millions of threads. Virtual
 * threads (JDK 21 with JNI) take the pinned bridge, as before.
 */
final class Staging {
    /** The most bytes an operand may have to be staged; the area holds two. */
    static final int OPERAND_BYTES = 512;

    /** The last op code staged: SOFTMAX, LOG_SOFTMAX, LOG_SUM_EXP and COPY are 0..3. */
    private static final int LAST_OP = Op.COPY.code;

    /** Thread.isVirtual (JDK 21+), or null below: there every thread is a platform thread. */
    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();

    private final long address;
    private final FloatBuffer floats;
    private final DoubleBuffer doubles;
    private final ShortBuffer shorts;

    /** The views of the area at {@code address} ({@code bytes} long, at least 2 × OPERAND_BYTES). */
    Staging(long address, int bytes) {
        if (bytes < 2 * OPERAND_BYTES || address == 0) {
            throw new IllegalStateException("staging area of " + bytes + " bytes at " + address);
        }
        ByteBuffer area = new BytePointer(new At(address, bytes)).asBuffer().order(ByteOrder.nativeOrder());
        this.address = address;
        this.floats = area.asFloatBuffer();
        this.doubles = area.asDoubleBuffer();
        this.shorts = area.asShortBuffer();
    }

    /** A pointer at a given address, for the view; it owns nothing (no deallocator). */
    private static final class At extends Pointer {
        At(long address, long bytes) {
            this.address = address;
            this.limit = bytes;
            this.capacity = bytes;
        }
    }

    /**
     * True if the call can be staged (class comment): {@code code} is one of the row operations
     * without flags, there is a heap array, every heap array is a float[], double[] or short[],
     * and every operand in one is a contiguous run of at most {@link #OPERAND_BYTES} bytes.
     */
    static boolean fits(int code, Object a0, Batch in0, Object a4, Batch out0) {
        return code >= 0 && code <= LAST_OP && (a0 != null || a4 != null)
                && (a0 == null || fits(a0, in0)) && (a4 == null || fits(a4, out0));
    }

    private static boolean fits(Object array, Batch b) {
        int rows = b.rows(), cols = b.cols();
        return (array instanceof float[] || array instanceof double[] || array instanceof short[])
                && (rows <= 1 || b.stride() == cols)
                && (long) rows * cols * b.type().bytes() <= OPERAND_BYTES;
    }

    /** True on a platform thread (class comment: virtual threads are not staged). */
    static boolean platformThread() {
        if (IS_VIRTUAL == null) return true;
        try {
            return !(boolean) IS_VIRTUAL.invokeExact(Thread.currentThread());
        } catch (Throwable t) {
            throw new AssertionError(t);  // a public getter
        }
    }

    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                    MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;  // JDK 17 to 20: no virtual threads
        }
    }

    /** The address where slot {@code out} (0 input, 1 output) is staged. */
    long slot(int out) {
        return address + (long) out * OPERAND_BYTES;
    }

    /**
     * Copies {@code b}'s elements (a contiguous run, checked by {@link #fits}) from {@code array},
     * starting {@code where} bytes into it, to slot {@code slot}. Indices by constant shifts: a
     * division by the element size (a 64-bit idiv, ~15 cycles on Zen 4) cost several ns a call.
     */
    void copyIn(Object array, long where, Batch b, int slot) {
        int count = count(b);
        if (array instanceof float[] f) {
            floats.put(slot * (OPERAND_BYTES >> 2), f, (int) (where >> 2), count);
        } else if (array instanceof double[] d) {
            doubles.put(slot * (OPERAND_BYTES >> 3), d, (int) (where >> 3), count);
        } else {
            shorts.put(slot * (OPERAND_BYTES >> 1), (short[]) array, (int) (where >> 1), count);
        }
    }

    /** The reverse of {@link #copyIn}: slot {@code slot} back to {@code b}'s elements in {@code array}. */
    void copyOut(int slot, Object array, long where, Batch b) {
        int count = count(b);
        if (array instanceof float[] f) {
            floats.get(slot * (OPERAND_BYTES >> 2), f, (int) (where >> 2), count);
        } else if (array instanceof double[] d) {
            doubles.get(slot * (OPERAND_BYTES >> 3), d, (int) (where >> 3), count);
        } else {
            shorts.get(slot * (OPERAND_BYTES >> 1), (short[]) array, (int) (where >> 1), count);
        }
    }

    /** The elements the kernel touches: rows × cols, contiguous (one row: its cols only). */
    private static int count(Batch b) {
        return b.rows() * b.cols();
    }
}
