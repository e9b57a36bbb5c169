package org.softmax4j;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Objects;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.softmax4j.backend.Call;
import org.softmax4j.backend.Checks;
import org.softmax4j.backend.Op;

/**
 * One call of the general kernel, from the public method to {@link Softmax#applyK}: it collects
 * the named operands, has {@link Checks} validate every one of them, turns each into what a
 * kernel takes (a heap array, or a pointer for any off-heap memory), and dispatches on element
 * type and family. It is the only way into {@code applyK}, as the {@code run} adapters of
 * {@link Softmax} are for {@code rowsK}.
 */
final class Invocation {
    private static final int IN1 = 0;
    private static final int OUT = 3;

    private final Softmax target;
    private final Op op;
    private final int rows;
    private final int n;
    private int k;
    private boolean fromOutput;
    private double alpha = 1;
    private double param;
    private double[] weights;
    private final String[] names = new String[4];
    private final Batch[] batches = new Batch[4];
    private Mask mask;

    private Invocation(Softmax target, Op op, int rows, int n) {
        this.target = target;
        this.op = op;
        this.rows = rows;
        this.n = n;
    }

    static Invocation of(Softmax target, Op op, int rows, int n) {
        return new Invocation(target, op, rows, n);
    }

    Invocation from(Softmax.From from) {
        fromOutput = Objects.requireNonNull(from, "from") == Softmax.From.OUTPUT;
        return this;
    }

    Invocation scale(Scale scale) {
        alpha = Objects.requireNonNull(scale, "scale").alpha();
        return this;
    }

    /** Tangent columns, factors or the pinned index. */
    Invocation k(int k) {
        this.k = k;
        return this;
    }

    Invocation param(double param) {
        this.param = param;
        return this;
    }

    Invocation weights(double[] weights) {
        this.weights = Objects.requireNonNull(weights, "weights").clone();
        return this;
    }

    /** The next input (in1, in2, in3 in order), called {@code name} in messages. */
    Invocation input(String name, Batch batch) {
        int slot = names[0] == null ? 0 : names[1] == null ? 1 : 2;
        names[slot] = name;
        batches[slot] = Objects.requireNonNull(batch, name);
        return this;
    }

    Invocation output(String name, Batch batch) {
        names[OUT] = name;
        batches[OUT] = Objects.requireNonNull(batch, name);
        return this;
    }

    Invocation mask(Mask mask) {
        this.mask = Objects.requireNonNull(mask, "mask");
        return this;
    }

    /** Validates everything, then runs the kernel. Nothing is written if a check fails. */
    void run() {
        Checks.sizes(rows, n);
        if (op == Op.JACOBIAN_TIMES) Checks.nonNegative("k", k);
        if (op == Op.INVERSE_PINNED) Checks.pinnedWithin(k, n);
        if (op == Op.COMBINE) {
            Checks.weights(weights);
            k = weights.length;
        }
        boolean f32 = isFloat(batches[IN1].data());
        boolean heap = onHeap(batches[IN1].data());
        for (int i = 1; i < 4; i++) {
            if (batches[i] == null) continue;
            Checks.sameKind(names[i], isFloat(batches[i].data()), onHeap(batches[i].data()),
                    names[IN1], f32, heap);
        }
        if (mask != null) Checks.maskFamily(mask.data(), heap);
        if (op.inverts()) Checks.invertible(alpha, f32);

        View[] views = new View[4];
        for (int i = 0; i < 4; i++) {
            if (batches[i] == null) continue;
            long width = i == OUT ? op.outWidth(n, k) : op.inWidth(i + 1, n, k, fromOutput);
            views[i] = view(names[i], batches[i], width, i == OUT, f32);
        }
        View maskView = mask == null ? null : maskView(mask);
        View out = views[OUT];
        for (int i = 0; i < 3; i++) {
            if (views[i] != null) Checks.disjointOrSame(out.name, out.region, views[i].name, views[i].region, rows);
        }
        if (maskView != null) Checks.disjoint(out.name, out.region, "mask", maskView.region, rows);

        Call call = new Call(op, fromOutput, rows, n, k, alpha, param, weights, at(views[0]),
                at(views[1]), at(views[2]), at(maskView), at(out));
        dispatch(call, views, maskView, f32, heap);
        // The storage must outlive the native call even where only a derived pointer reached it.
        java.lang.ref.Reference.reachabilityFence(batches);
        java.lang.ref.Reference.reachabilityFence(mask);
    }

    private void dispatch(Call c, View[] v, View m, boolean f32, boolean heap) {
        if (heap && f32) {
            target.applyK(c, (float[]) storage(v[0]), (float[]) storage(v[1]), (float[]) storage(v[2]),
                    (boolean[]) storage(m), (float[]) storage(v[OUT]));
        } else if (heap) {
            target.applyK(c, (double[]) storage(v[0]), (double[]) storage(v[1]), (double[]) storage(v[2]),
                    (boolean[]) storage(m), (double[]) storage(v[OUT]));
        } else if (f32) {
            target.applyK(c, (FloatPointer) storage(v[0]), (FloatPointer) storage(v[1]),
                    (FloatPointer) storage(v[2]), (BytePointer) storage(m), (FloatPointer) storage(v[OUT]));
        } else {
            target.applyK(c, (DoublePointer) storage(v[0]), (DoublePointer) storage(v[1]),
                    (DoublePointer) storage(v[2]), (BytePointer) storage(m), (DoublePointer) storage(v[OUT]));
        }
    }

    // ---------------------------------------------------------------- operands

    /**
     * An operand as a kernel takes it: {@code storage} (an array, or a pointer at its position),
     * element {@code index} of it where row 0 starts, and its place in memory for the overlap
     * checks.
     */
    private record View(String name, Object storage, long index, Checks.Region region) {}

    private static Object storage(View v) {
        return v == null ? null : v.storage;
    }

    private static Call.At at(View v) {
        return v == null ? Call.At.NONE : new Call.At(v.index, v.region.ld());
    }

    private View view(String name, Batch b, long width, boolean output, boolean f32) {
        Object d = b.data();
        int bytes = f32 ? Float.BYTES : Double.BYTES;
        if (d instanceof OffHeapMatrix m) {
            Checks.matrixShape(name, m, rows, width);
            Pointer p = m instanceof FloatMatrix fm ? fm.pointer() : ((DoubleMatrix) m).pointer();
            return offHeap(name, p, 0, m.stride(), width, m.size(), 0, bytes);
        }
        long ld = b.stride(width);
        long offset = b.offset();
        if (d instanceof float[] a) return heap(name, a, a, offset, ld, width, a.length, offset);
        if (d instanceof double[] a) return heap(name, a, a, offset, ld, width, a.length, offset);
        if (d instanceof FloatBuffer fb) {
            Checks.buffer(name, fb, fb.order(), output);
            if (!fb.isDirect()) {
                return heap(name, fb.array(), fb.array(), offset, ld, width, fb.remaining(),
                        fb.arrayOffset() + fb.position() + offset);
            }
            // A pointer to the buffer's element 0: JavaCPP's Pointer(Buffer) misplaces the address
            // of a non-byte view at a non-zero position, so the position goes into the index.
            FloatPointer p = new FloatPointer(fb.duplicate().clear());
            return offHeap(name, p, offset, ld, width, fb.remaining(), fb.position() + offset, bytes);
        }
        if (d instanceof DoubleBuffer db) {
            Checks.buffer(name, db, db.order(), output);
            if (!db.isDirect()) {
                return heap(name, db.array(), db.array(), offset, ld, width, db.remaining(),
                        db.arrayOffset() + db.position() + offset);
            }
            DoublePointer p = new DoublePointer(db.duplicate().clear());
            return offHeap(name, p, offset, ld, width, db.remaining(), db.position() + offset, bytes);
        }
        Pointer p = (Pointer) d;
        return offHeap(name, p, offset, ld, width, Checks.available(name, p), offset, bytes);
    }

    private View maskView(Mask m) {
        Object d = m.data();
        long ld = m.stride(n);
        long offset = m.offset();
        if (d instanceof boolean[] a) return heap("mask", a, a, offset, ld, n, a.length, offset);
        if (d instanceof ByteBuffer bb) {
            BytePointer p = new BytePointer(bb.duplicate().clear());
            return offHeap("mask", p, offset, ld, n, bb.remaining(), bb.position() + offset, 1);
        }
        BytePointer p = (BytePointer) d;
        return offHeap("mask", p, offset, ld, n, Checks.available("mask", p), offset, 1);
    }

    /** An operand in a heap array; {@code index} is where its offset lands in the array. */
    private View heap(String name, Object array, Object identity, long offset, long ld, long width,
            long length, long index) {
        Checks.stride(name, ld, width);
        Checks.extent(name, length, offset, Checks.span(rows, width, ld));
        return new View(name, array, index, new Checks.Region(identity, index, ld, width, 1));
    }

    /** An operand in native memory; {@code index} counts elements from the pointer's position. */
    private View offHeap(String name, Pointer p, long offset, long ld, long width, long length,
            long index, int bytes) {
        Checks.stride(name, ld, width);
        Checks.extent(name, length, offset, Checks.span(rows, width, ld));
        return new View(name, p, index,
                new Checks.Region(null, Checks.address(p, index, bytes), ld, width, bytes));
    }

    private static boolean isFloat(Object d) {
        return d instanceof float[] || d instanceof FloatBuffer || d instanceof FloatPointer
                || d instanceof FloatMatrix;
    }

    private static boolean onHeap(Object d) {
        if (d instanceof float[] || d instanceof double[]) return true;
        if (d instanceof java.nio.Buffer b) return !b.isDirect();
        return false;
    }
}
